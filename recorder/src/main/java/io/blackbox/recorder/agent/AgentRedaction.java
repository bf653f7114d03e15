package io.blackbox.recorder.agent;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an agent emitter replaces before a payload's bytes reach the ring ({@code specs/agent-telemetry-v0.1.md},
 * Redaction): a value whose key names a secret ({@link #DEFAULT_KEYS}: a key equal to one of them, or ending in
 * {@code _} and one of them, after lower-casing and {@code -} to {@code _}), and any string that holds a well-known
 * secret shape ({@link #DEFAULT_PATTERNS}: bearer tokens, cloud and VCS access keys, private key blocks, JWTs), found
 * anywhere in the payload, lists and nested objects included. A command's arguments are checked as values, and as
 * {@code --key=value} and {@code --key value} pairs whose key names a secret.
 * <p>
 * A replaced value becomes the literal {@code "REDACTED"} ({@link #literal()}) or a keyed hash,
 * {@code hmac-sha256:} and the first 16 bytes of HMAC-SHA-256 in hex ({@link #keyedHash()}), under a key drawn when
 * this object is made and never written: equal values match within what one redaction hashed (share it between a
 * recording's emitters), and a short secret cannot be brute-forced from the file. The payload's
 * {@code redacted_fields} lists the replaced values' paths ({@code token}, {@code arguments[2]}, {@code env.API_KEY}).
 * <p>
 * Thread-safe once made; {@link #keyedHash()}'s MAC is per thread.
 */
public final class AgentRedaction
{
    /** The literal a redacted value becomes. */
    public static final String REDACTED = "REDACTED";
    /** How a keyed hash starts. */
    public static final String HASH_PREFIX = "hmac-sha256:";

    /** Key names whose values are secrets. */
    public static final Set<String> DEFAULT_KEYS = Set.of("password", "passwd", "pwd", "secret", "token",
        "api_key", "apikey", "access_key", "secret_key", "private_key", "authorization", "auth", "cookie",
        "set_cookie", "credentials", "credential", "client_secret", "session_key", "passphrase");

    /** Shapes of well-known secrets, wherever they appear in a string. */
    public static final List<Pattern> DEFAULT_PATTERNS = List.of(
        Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{8,}"),
        Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
        Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"),
        Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{30,}\\b"),
        Pattern.compile("\\bsk-[A-Za-z0-9_-]{20,}\\b"),
        Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"),
        Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"),
        Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
        Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\b"));

    private final Set<String> keys;
    private final List<Pattern> patterns;
    /** The patterns as one alternation: a string is scanned once, not once a pattern. */
    private final Pattern anyPattern;
    private final byte[] hashKey;
    private final ThreadLocal<Mac> mac;

    private AgentRedaction(final Set<String> keys, final List<Pattern> patterns, final boolean hashed)
    {
        this.keys = Set.copyOf(keys);
        this.patterns = List.copyOf(patterns);
        final StringBuilder any = new StringBuilder();
        for (final Pattern pattern : patterns)
        {
            // An inline flag such as (?i) holds to the end of its group: each pattern keeps its own.
            any.append(any.length() == 0 ? "" : "|").append("(?:").append(pattern.pattern()).append(')');
        }
        this.anyPattern = Pattern.compile(any.length() == 0 ? "(?!)" : any.toString());
        if (hashed)
        {
            hashKey = new byte[32];
            new SecureRandom().nextBytes(hashKey);
            mac = ThreadLocal.withInitial(() ->
            {
                try
                {
                    final Mac m = Mac.getInstance("HmacSHA256");
                    m.init(new SecretKeySpec(hashKey, "HmacSHA256"));
                    return m;
                }
                catch (final GeneralSecurityException ex)
                {
                    throw new IllegalStateException("HMAC-SHA-256 is not available", ex);
                }
            });
        }
        else
        {
            hashKey = null;
            mac = null;
        }
    }

    /**
     * @return the default keys and patterns, values replaced by {@code "REDACTED"}.
     */
    public static AgentRedaction literal()
    {
        return new AgentRedaction(DEFAULT_KEYS, DEFAULT_PATTERNS, false);
    }

    /**
     * @return the default keys and patterns, values replaced by a keyed hash under a fresh, unwritten key.
     */
    public static AgentRedaction keyedHash()
    {
        return new AgentRedaction(DEFAULT_KEYS, DEFAULT_PATTERNS, true);
    }

    /**
     * @param moreKeys     key names to redact besides the defaults.
     * @param morePatterns value shapes to redact besides the defaults.
     * @return a redaction like this one with them.
     */
    public AgentRedaction with(final Set<String> moreKeys, final List<Pattern> morePatterns)
    {
        final java.util.HashSet<String> allKeys = new java.util.HashSet<>(keys);
        for (final String key : moreKeys)
        {
            allKeys.add(normalise(key));
        }
        final List<Pattern> allPatterns = new ArrayList<>(patterns);
        allPatterns.addAll(morePatterns);
        return new AgentRedaction(allKeys, allPatterns, null != hashKey);
    }

    /**
     * @return whether a value under {@code key} is a secret by its name.
     */
    public boolean isSecretKey(final String key)
    {
        final String normal = normalise(key);
        if (keys.contains(normal))
        {
            return true;
        }
        for (final String secret : keys)
        {
            if (normal.endsWith("_" + secret))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code value} holds a well-known secret shape.
     */
    public boolean hasSecretShape(final String value)
    {
        return anyPattern.matcher(value).find();
    }

    /**
     * @return what a redacted value becomes.
     */
    public String replacement(final String value)
    {
        if (null == mac)
        {
            return REDACTED;
        }
        final byte[] digest = mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
        return HASH_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    }

    /**
     * Redact a payload: a copy with every secret value replaced; {@code redacted} receives each replaced path.
     *
     * @param payload  the payload's keys and values (maps, lists, strings, numbers, booleans, null).
     * @param redacted receives the paths of the values replaced, in payload order.
     * @return the redacted copy, in the same key order.
     */
    public Map<String, Object> redact(final Map<String, ?> payload, final List<String> redacted)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<String, ?> entry : payload.entrySet())
        {
            out.put(entry.getKey(), value(entry.getKey(), entry.getKey(), entry.getValue(), redacted));
        }
        return out;
    }

    /**
     * Redact a command's arguments: each checked as a value, and as {@code --key=value} or {@code --key value}.
     *
     * @param path      the arguments' path in the payload ({@code arguments}).
     * @param arguments the arguments.
     * @param redacted  receives the paths of the arguments replaced.
     * @return the redacted copy.
     */
    public List<String> redactArguments(final String path, final List<String> arguments, final List<String> redacted)
    {
        final List<String> out = new ArrayList<>(arguments.size());
        boolean nextIsSecret = false;
        for (int i = 0; i < arguments.size(); i++)
        {
            final String argument = arguments.get(i);
            final String where = path + "[" + i + "]";
            final int equals = argument.indexOf('=');
            final String flag = argument.startsWith("-") ? argument.replaceFirst("^-+", "") : null;
            final String key = equals > 0 ? (null != flag ? flag.substring(0, flag.indexOf('=')) :
                argument.substring(0, equals)) : null;
            if (!nextIsSecret && null != key && isSecretKey(key))
            {
                // --token=VALUE, token=VALUE: the key stays readable, the value goes.
                out.add(argument.substring(0, equals + 1) + replacement(argument.substring(equals + 1)));
                redacted.add(where);
            }
            else if (nextIsSecret || hasSecretShape(argument))
            {
                out.add(replacement(argument));
                redacted.add(where);
            }
            else
            {
                out.add(argument);
            }
            nextIsSecret = null != flag && equals < 0 && !flag.isEmpty() && isSecretKey(flag);
        }
        return out;
    }

    private Object value(final String key, final String path, final Object value, final List<String> redacted)
    {
        if (value instanceof Map<?, ?> map)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                final String child = String.valueOf(entry.getKey());
                out.put(child, value(child, path + "." + child, entry.getValue(), redacted));
            }
            return out;
        }
        if (value instanceof List<?> list)
        {
            final List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++)
            {
                out.add(value(key, path + "[" + i + "]", list.get(i), redacted));
            }
            return out;
        }
        if (null != value && isSecretKey(key) && !(value instanceof Boolean))
        {
            redacted.add(path);
            return replacement(String.valueOf(value));
        }
        if (value instanceof CharSequence text && hasSecretShape(text.toString()))
        {
            redacted.add(path);
            return replacement(text.toString());
        }
        return value;
    }

    private static String normalise(final String key)
    {
        return key.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}

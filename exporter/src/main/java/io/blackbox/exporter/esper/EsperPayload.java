package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;
import io.blackbox.exporter.JsonLinesReader;

import java.util.Locale;
import java.util.Map;

/**
 * The typed payload of an Esper {@link TelemetryEvent}, one record per payload dataclass of
 * {@code specs/esper-typed-payloads.md}: a consumer writes {@code if (event.data() instanceof PpoUpdate u)} and reads
 * {@code u.policyLoss()}, never a map lookup with a default.
 * <p>
 * Each record has exactly the spec's fields, under Java names (camelCase of the wire name), in the spec's order.
 * How the spec's Python types map:
 * <ul>
 *     <li>a required field, or an optional one with a default, is a primitive ({@code int}, {@code long} for
 *         parameter counts and the random seed, {@code double}, {@code boolean}) or a non-null {@code String};</li>
 *     <li>a field typed {@code X | None} is a boxed {@code Integer}/{@code Double} or a {@code String}, {@code List}
 *         or {@code Map} that is null when the producer wrote {@code null} or left the key out; a {@code Double} may
 *         also be NaN or infinite, which is not the same as null ({@code explained_variance});</li>
 *     <li>a tuple is an unmodifiable {@code List}; a {@code dict} an unmodifiable {@code Map} in the producer's key
 *         order; {@code Any} inside them is a wire value ({@link EsperValues}).</li>
 * </ul>
 * {@code fromMap} and {@code fromJson} of each record read the wire form with {@link PayloadFields}' rules and throw
 * {@link EsperFormatException} naming the key and the payload; {@link #toMap()} gives the wire form back, every
 * field in the dataclass's order as {@code dataclasses.asdict} writes it. Keys beyond the spec are ignored when read
 * and so not written.
 */
public sealed interface EsperPayload permits TrainingStarted, EpochCompleted, BatchEpochCompleted, PpoUpdate,
    RewardComputed, SeedGerminated, SeedStageChanged, SeedFossilized, SeedPruned, CounterfactualMatrix,
    AnalyticsSnapshot
{
    /**
     * @return the event type that carries this payload.
     */
    EsperEventType eventType();

    /**
     * The wire form: every field under its wire name in the dataclass's order; null where the field is null.
     *
     * @return an unmodifiable ordered map of wire values.
     */
    Map<String, Object> toMap();

    /**
     * A JSON object as a map of wire values, for the {@code fromJson} of each payload.
     *
     * @param owner the payload's name, for the message when the node is not an object.
     * @param json  the node.
     * @return its keys and values; integers as {@code Integer}, {@code Long} or {@code BigInteger}, floats as
     *     {@code Double}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(final String owner, final JsonNode json)
    {
        if (null == json || !json.isObject())
        {
            throw new EsperFormatException("", owner + " needs an object, found " +
                (null == json || json.isNull() ? "null" : json.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return JsonLinesReader.MAPPER.convertValue(json, Map.class);
    }
}

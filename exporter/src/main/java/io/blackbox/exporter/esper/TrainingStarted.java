package io.blackbox.exporter.esper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's {@code TrainingStartedPayload}, carried by {@link EsperEventType#TRAINING_STARTED}. Emitted once at
 * training start.
 *
 * @param nEnvs {@code n_envs}, required.
 * @param maxEpochs {@code max_epochs}, required.
 * @param task {@code task}, required.
 * @param hostParams {@code host_params}, required.
 * @param slotIds {@code slot_ids}, required.
 * @param seed {@code seed}, required.
 * @param nEpisodes {@code n_episodes}, required.
 * @param lr {@code lr}, required.
 * @param clipRatio {@code clip_ratio}, required.
 * @param entropyCoef {@code entropy_coef}, required.
 * @param paramBudget {@code param_budget}, required.
 * @param policyDevice {@code policy_device}, required.
 * @param envDevices {@code env_devices}, required.
 * @param episodeId {@code episode_id}, optional, default {@code ""}.
 * @param resumePath {@code resume_path}, optional, default {@code ""}.
 * @param rewardMode {@code reward_mode}, optional, default {@code ""}.
 * @param startEpisode {@code start_episode}, optional, default {@code 0}.
 * @param entropyAnneal {@code entropy_anneal}, optional, null when absent or null.
 * @param worldSize {@code world_size}, optional, default {@code 1}.
 * @param rank {@code rank}, optional, default {@code 0}.
 * @param localRank {@code local_rank}, optional, default {@code 0}.
 * @param ampEnabled {@code amp_enabled}, optional, default {@code false}.
 * @param ampDtype {@code amp_dtype}, optional, null when absent or null.
 * @param compileEnabled {@code compile_enabled}, optional, default {@code false}.
 * @param compileBackend {@code compile_backend}, optional, null when absent or null.
 * @param compileMode {@code compile_mode}, optional, null when absent or null.
 */
public record TrainingStarted(
    int nEnvs,
    int maxEpochs,
    String task,
    long hostParams,
    List<String> slotIds,
    long seed,
    int nEpisodes,
    double lr,
    double clipRatio,
    double entropyCoef,
    long paramBudget,
    String policyDevice,
    List<String> envDevices,
    String episodeId,
    String resumePath,
    String rewardMode,
    int startEpisode,
    Map<String, Double> entropyAnneal,
    int worldSize,
    int rank,
    int localRank,
    boolean ampEnabled,
    String ampDtype,
    boolean compileEnabled,
    String compileBackend,
    String compileMode) implements EsperPayload
{
    /** The payload's name in problems. */
    static final String NAME = "TrainingStarted";

    /**
     * Check required references and copy the lists and maps, so the payload is immutable.
     */
    public TrainingStarted
    {
        Objects.requireNonNull(task, "task");
        slotIds = List.copyOf(slotIds);
        Objects.requireNonNull(policyDevice, "policy_device");
        envDevices = List.copyOf(envDevices);
        Objects.requireNonNull(episodeId, "episode_id");
        Objects.requireNonNull(resumePath, "resume_path");
        Objects.requireNonNull(rewardMode, "reward_mode");
        entropyAnneal = null == entropyAnneal ? null : EsperValues.freezeMap(entropyAnneal);
    }

    /**
     * Read the payload from its wire form.
     *
     * @param map the payload's keys; keys beyond the spec are ignored.
     * @return the payload.
     * @throws EsperFormatException if a required key is missing or a value has the wrong type.
     */
    public static TrainingStarted fromMap(final Map<String, ?> map)
    {
        final PayloadFields fields = new PayloadFields(NAME, map);
        return new TrainingStarted(
            fields.requiredInt(EsperWire.N_ENVS),
            fields.requiredInt(EsperWire.MAX_EPOCHS),
            fields.requiredString(EsperWire.TASK),
            fields.requiredLong(EsperWire.HOST_PARAMS),
            fields.requiredStrings(EsperWire.SLOT_IDS),
            fields.requiredLong(EsperWire.SEED),
            fields.requiredInt(EsperWire.N_EPISODES),
            fields.requiredDouble(EsperWire.LR),
            fields.requiredDouble(EsperWire.CLIP_RATIO),
            fields.requiredDouble(EsperWire.ENTROPY_COEF),
            fields.requiredLong(EsperWire.PARAM_BUDGET),
            fields.requiredString(EsperWire.POLICY_DEVICE),
            fields.requiredStrings(EsperWire.ENV_DEVICES),
            fields.optionalString(EsperWire.EPISODE_ID, ""),
            fields.optionalString(EsperWire.RESUME_PATH, ""),
            fields.optionalString(EsperWire.REWARD_MODE, ""),
            fields.optionalInt(EsperWire.START_EPISODE, 0),
            fields.nullableDoubleMap(EsperWire.ENTROPY_ANNEAL),
            fields.optionalInt(EsperWire.WORLD_SIZE, 1),
            fields.optionalInt(EsperWire.RANK, 0),
            fields.optionalInt(EsperWire.LOCAL_RANK, 0),
            fields.optionalBoolean(EsperWire.AMP_ENABLED, false),
            fields.nullableString(EsperWire.AMP_DTYPE),
            fields.optionalBoolean(EsperWire.COMPILE_ENABLED, false),
            fields.nullableString(EsperWire.COMPILE_BACKEND),
            fields.nullableString(EsperWire.COMPILE_MODE));
    }

    /**
     * Read the payload from a JSON object, as {@link #fromMap} does.
     *
     * @param json the payload's object.
     * @return the payload.
     * @throws EsperFormatException if it is not an object, a required key is missing or a value has the wrong type.
     */
    public static TrainingStarted fromJson(final JsonNode json)
    {
        return fromMap(EsperPayload.jsonObject(NAME, json));
    }

    @Override
    public EsperEventType eventType()
    {
        return EsperEventType.TRAINING_STARTED;
    }

    @Override
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>(52);
        map.put(EsperWire.N_ENVS, nEnvs);
        map.put(EsperWire.MAX_EPOCHS, maxEpochs);
        map.put(EsperWire.TASK, task);
        map.put(EsperWire.HOST_PARAMS, hostParams);
        map.put(EsperWire.SLOT_IDS, slotIds);
        map.put(EsperWire.SEED, seed);
        map.put(EsperWire.N_EPISODES, nEpisodes);
        map.put(EsperWire.LR, lr);
        map.put(EsperWire.CLIP_RATIO, clipRatio);
        map.put(EsperWire.ENTROPY_COEF, entropyCoef);
        map.put(EsperWire.PARAM_BUDGET, paramBudget);
        map.put(EsperWire.POLICY_DEVICE, policyDevice);
        map.put(EsperWire.ENV_DEVICES, envDevices);
        map.put(EsperWire.EPISODE_ID, episodeId);
        map.put(EsperWire.RESUME_PATH, resumePath);
        map.put(EsperWire.REWARD_MODE, rewardMode);
        map.put(EsperWire.START_EPISODE, startEpisode);
        map.put(EsperWire.ENTROPY_ANNEAL, entropyAnneal);
        map.put(EsperWire.WORLD_SIZE, worldSize);
        map.put(EsperWire.RANK, rank);
        map.put(EsperWire.LOCAL_RANK, localRank);
        map.put(EsperWire.AMP_ENABLED, ampEnabled);
        map.put(EsperWire.AMP_DTYPE, ampDtype);
        map.put(EsperWire.COMPILE_ENABLED, compileEnabled);
        map.put(EsperWire.COMPILE_BACKEND, compileBackend);
        map.put(EsperWire.COMPILE_MODE, compileMode);
        return Collections.unmodifiableMap(map);
    }
}

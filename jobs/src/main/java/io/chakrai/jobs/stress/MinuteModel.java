package io.chakrai.jobs.stress;

import io.chakrai.jobs.config.SourceOptions;
import io.chakrai.jobs.config.StressOptions;
import io.chakrai.models.ml.MinuteFeatureVector;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import java.io.Serializable;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which registered per-minute model the stress graph scores minutes with: {@code --model-name} at
 * {@code --model-version}, or (version 0) the version in production when the job is built. None
 * registered, none promoted or no name: the heart-rate / HRV rule. Resolved once, so the Flink UI
 * names the detector that runs and a restart from a checkpoint keeps it; a better model takes over
 * when the job is redeployed.
 */
public record MinuteModel(String name, int version, String dbUrl, String dbUser, String dbPassword)
        implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(MinuteModel.class);

    public String label() {
        return name + " v" + version;
    }

    /**
     * The model to run, or empty for the rule; a named version that cannot be used is an error, not
     * a silent rule.
     */
    public static Optional<MinuteModel> resolve(StressOptions cfg) {
        if (cfg.modelName == null || cfg.modelName.isBlank()) {
            return Optional.empty();
        }
        ModelRegistry registry = new ModelRegistry(cfg.source.dataSource());
        int version = cfg.modelVersion;
        try {
            if (version == 0) {
                Optional<Integer> production = registry.production(cfg.modelName);
                if (production.isEmpty()) {
                    LOG.info(
                            "no {} in production: stress minutes by the heart-rate / HRV rule",
                            cfg.modelName);
                    return Optional.empty();
                }
                version = production.get();
            }
            TrainedModel m = registry.load(cfg.modelName, version);
            if (!m.features().equals(MinuteFeatureVector.NAMES)) {
                throw new IllegalArgumentException(
                        cfg.modelName
                                + " v"
                                + version
                                + " expects "
                                + m.features()
                                + "; the stress graph computes "
                                + MinuteFeatureVector.NAMES);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            if (cfg.modelVersion != 0) {
                throw new IllegalArgumentException(
                        "cannot load "
                                + cfg.modelName
                                + " v"
                                + cfg.modelVersion
                                + ": "
                                + e.getMessage(),
                        e);
            }
            LOG.warn(
                    "cannot read the model registry ({}): stress minutes by the heart-rate / HRV rule",
                    e.toString());
            return Optional.empty();
        }
        LOG.info("stress minutes scored by {} v{}", cfg.modelName, version);
        return Optional.of(
                new MinuteModel(
                        cfg.modelName,
                        version,
                        cfg.source.dbUrl,
                        cfg.source.dbUser,
                        cfg.source.dbPassword));
    }

    TrainedModel load() throws Exception {
        return new ModelRegistry(SourceOptions.dataSource(dbUrl, dbUser, dbPassword))
                .load(name, version);
    }
}

package io.chakrai.api.assessments;

import io.chakrai.models.ml.ModelRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * {@code chakrai_risk_model_version{model, role}}: which version of the learned risk model the daily risk job runs as
 * champion (0: the rule, {@code risk-rule-1}) and which shadows it as challenger (0: none), from the model registry,
 * re-read at most every 30 s.
 */
public final class RiskModelGauges {
    private static final long REFRESH_MS = 30_000;

    private RiskModelGauges() {
    }

    public static void register(MeterRegistry metrics, DataSource db, String modelName) {
        ModelRegistry registry = new ModelRegistry(db);
        gauge(metrics, modelName, "champion", () -> registry.production(modelName));
        gauge(metrics, modelName, "challenger", () -> registry.challenger(modelName));
    }

    private static void gauge(MeterRegistry metrics, String model, String role, Callable<Optional<Integer>> read) {
        double[] last = {Double.NaN};
        long[] at = {0};
        Gauge.builder("chakrai_risk_model_version", () -> {
            synchronized (at) {
                if (System.currentTimeMillis() - at[0] > REFRESH_MS) {
                    at[0] = System.currentTimeMillis();
                    try {
                        last[0] = read.call().orElse(0);
                    } catch (Exception e) {
                        // keep the last known version
                    }
                }
                return last[0];
            }
        }).tag("model", model).tag("role", role)
                .description("version of the risk model by role (champion 0: the rule risk-rule-1; challenger 0: none)")
                .register(metrics);
    }
}

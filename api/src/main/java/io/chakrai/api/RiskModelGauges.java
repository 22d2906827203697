package io.chakrai.api;

import io.chakrai.models.ml.ModelRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;

/**
 * {@code chakrai_risk_model_version{model, role}}: which version of the learned risk model the
 * daily risk job runs as champion (0: the rule, {@code risk-rule-1}) and which shadows it as
 * challenger (0: none), from the model registry, re-read at most every 30 s.
 */
public final class RiskModelGauges {
    private static final long REFRESH_MS = 30_000;

    private RiskModelGauges() {}

    public static void register(MeterRegistry metrics, DataSource db, String modelName) {
        ModelRegistry registry = new ModelRegistry(db);
        Refreshing<Double> champion =
                new Refreshing<>(
                        REFRESH_MS,
                        Double.NaN,
                        last -> registry.production(modelName).orElse(0).doubleValue());
        Refreshing<Double> challenger =
                new Refreshing<>(
                        REFRESH_MS,
                        Double.NaN,
                        last -> registry.challenger(modelName).orElse(0).doubleValue());
        gauge(metrics, modelName, "champion", champion);
        gauge(metrics, modelName, "challenger", challenger);
    }

    private static void gauge(
            MeterRegistry metrics, String model, String role, Refreshing<Double> version) {
        Gauge.builder("chakrai_risk_model_version", version::get)
                .tag("model", model)
                .tag("role", role)
                .description(
                        "version of the risk model by role (champion 0: the rule risk-rule-1; challenger 0: none)")
                .register(metrics);
    }
}

package io.chakrai.api.voice;

import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The voice models in production in the model registry ({@code voice_depression}, {@code
 * voice_anxiety}), loaded from the same bytes the registry stores and kept per version, so
 * promoting or rolling back a version takes effect on the next request. A model scores a recording
 * only if every feature it was trained on was measured.
 */
public final class VoiceModels {
    public static final Map<String, String> NAMES =
            Map.of("depression", "voice_depression", "anxiety", "voice_anxiety");

    private final ModelRegistry registry;
    private final Map<String, TrainedModel> loaded = new ConcurrentHashMap<>();

    public VoiceModels(DataSource db) {
        this.registry = new ModelRegistry(db);
    }

    /** One model's probability for a recording, and which version gave it. */
    public record Score(String target, String model, int version, double probability) {}

    /**
     * The scores, and why a promoted model gave none (its name → the features the recording did not
     * yield).
     */
    public record Result(List<Score> scores, Map<String, List<String>> unscored) {}

    public Result score(Map<String, Double> features) throws SQLException, IOException {
        Map<String, Score> out = new LinkedHashMap<>();
        Map<String, List<String>> unscored = new LinkedHashMap<>();
        for (String target : List.of("depression", "anxiety")) {
            String name = NAMES.get(target);
            Optional<Integer> version = registry.production(name);
            if (version.isEmpty()) {
                continue;
            }
            TrainedModel m = loaded.get(name + ":" + version.get());
            if (m == null) {
                m = registry.load(name, version.get());
                loaded.put(name + ":" + version.get(), m);
            }
            double[] row = new double[m.features().size()];
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < row.length; i++) {
                Double v = features.get(m.features().get(i));
                if (v == null || !Double.isFinite(v)) {
                    missing.add(m.features().get(i));
                }
                row[i] = v == null ? Double.NaN : v;
            }
            if (missing.isEmpty()) {
                out.put(
                        target,
                        new Score(
                                target,
                                name,
                                version.get(),
                                m.probabilities(new double[][] {row})[0]));
            } else {
                unscored.put(name + " v" + version.get(), List.copyOf(missing));
            }
        }
        return new Result(List.copyOf(out.values()), unscored);
    }
}

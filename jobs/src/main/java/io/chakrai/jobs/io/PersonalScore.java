package io.chakrai.jobs.io;

import io.chakrai.models.ml.RunningStandardiser;
import io.chakrai.models.ml.TrainedModel;
import org.apache.flink.api.common.state.ValueState;

/**
 * A model's probability for one person's feature row, the row first z-scored against that person's
 * own statistics (kept in the caller's keyed state) when the model was trained that way — the one
 * place the scoring job and the stress graph do it, so both score exactly as training standardised.
 */
public final class PersonalScore {
    private PersonalScore() {}

    public static double probability(
            TrainedModel model, ValueState<RunningStandardiser> stats, double[] row)
            throws Exception {
        double[] v = row;
        if (model.perPersonRunning()) {
            RunningStandardiser person = stats.value();
            if (person == null) {
                person = new RunningStandardiser(row.length, model.baselineRows());
            }
            v = person.addAndStandardise(row);
            stats.update(person);
        }
        return model.probabilities(new double[][] {v})[0];
    }
}

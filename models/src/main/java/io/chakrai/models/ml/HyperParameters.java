package io.chakrai.models.ml;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A model kind's settings, and the grids {@code train} searches by nested cross-validation.
 *
 * @param trees trees (forest, boosting)
 * @param maxNodes leaves per tree (forest: with depth {@link #maxDepth}; boosting: its tree size)
 * @param maxDepth forest: depth limit
 * @param nodeSize smallest node split further
 * @param mtry forest: features tried per split; 0 means √p
 * @param shrinkage boosting: learning rate
 * @param lambda logistic regression: L2 penalty
 */
public record HyperParameters(
        int trees,
        int maxNodes,
        int maxDepth,
        int nodeSize,
        double mtry,
        double shrinkage,
        double lambda)
        implements Serializable {
    /**
     * What the pipeline trained with before the search existed: the default when nothing is
     * searched.
     */
    public static HyperParameters defaults(ModelKind kind) {
        return switch (kind) {
            case RANDOM_FOREST -> new HyperParameters(200, 200, 12, 5, 0, 0, 0);
            case GRADIENT_BOOSTING -> new HyperParameters(200, 8, 4, 5, 0, 0.05, 0);
            case LOGISTIC_REGRESSION -> new HyperParameters(0, 0, 0, 0, 0, 0, 0.1);
        };
    }

    /**
     * The grid for a kind: the forest's leaves, node size and features per split (its defaults were
     * the limit); boosting's rounds, tree size and shrinkage; the regression's penalty. Small on
     * purpose: every point costs a fit per inner fold per held-out person.
     */
    public static List<HyperParameters> grid(ModelKind kind) {
        return switch (kind) {
            case RANDOM_FOREST ->
                    List.of(
                            defaults(kind),
                            new HyperParameters(200, 2000, 32, 2, 0, 0, 0),
                            new HyperParameters(200, 2000, 32, 5, 0.5, 0, 0),
                            new HyperParameters(200, 200, 12, 5, 0.5, 0, 0));
            case GRADIENT_BOOSTING ->
                    List.of(
                            defaults(kind),
                            new HyperParameters(400, 8, 4, 5, 0, 0.05, 0),
                            new HyperParameters(200, 16, 6, 5, 0, 0.1, 0),
                            new HyperParameters(100, 4, 3, 5, 0, 0.1, 0));
            case LOGISTIC_REGRESSION ->
                    List.of(
                            new HyperParameters(0, 0, 0, 0, 0, 0, 0.01),
                            defaults(kind),
                            new HyperParameters(0, 0, 0, 0, 0, 0, 1),
                            new HyperParameters(0, 0, 0, 0, 0, 0, 10));
        };
    }

    /** Features per split for {@code p} features. */
    public int mtryFor(int p) {
        return (int) Math.max(1, mtry <= 0 ? Math.floor(Math.sqrt(p)) : Math.round(mtry * p));
    }

    public String describe(ModelKind kind) {
        return switch (kind) {
            case RANDOM_FOREST ->
                    String.format(
                            Locale.ROOT,
                            "trees %d, max leaves %d, max depth %d, node size %d, features per split %s",
                            trees,
                            maxNodes,
                            maxDepth,
                            nodeSize,
                            mtry <= 0 ? "√p" : mtry + "·p");
            case GRADIENT_BOOSTING ->
                    String.format(
                            Locale.ROOT,
                            "rounds %d, leaves %d, shrinkage %s",
                            trees,
                            maxNodes,
                            shrinkage);
            case LOGISTIC_REGRESSION -> String.format(Locale.ROOT, "L2 penalty %s", lambda);
        };
    }
}

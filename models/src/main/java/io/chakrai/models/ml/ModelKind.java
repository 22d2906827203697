package io.chakrai.models.ml;

/** The classifiers the pipeline trains (Smile 3.1.1). */
public enum ModelKind {
    /** Random forest, 200 trees, class-weighted. */
    RANDOM_FOREST,
    /** Gradient-boosted trees, 200 shallow trees, shrinkage 0.05. */
    GRADIENT_BOOSTING,
    /** L2-regularised logistic regression on standardised features: the baseline. */
    LOGISTIC_REGRESSION
}

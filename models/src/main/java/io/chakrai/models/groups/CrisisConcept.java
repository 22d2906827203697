package io.chakrai.models.groups;

/**
 * What a crisis signal is about, after the Columbia suicide-severity rating scale's screening
 * questions (wish to be dead, thoughts, method, intent, plan, preparatory acts), plus self-harm and
 * the two softer layers: a statement like known risk statements in meaning, and a falling mood with
 * hopelessness.
 */
public enum CrisisConcept {
    WISH_TO_BE_DEAD("wish to be dead"),
    SUICIDAL_THOUGHTS("thoughts of suicide"),
    METHOD("a method"),
    INTENT("intent to act"),
    PLAN("a plan"),
    PREPARATORY_ACTS("preparatory acts"),
    SELF_HARM("self-harm"),
    LEARNED("worded like the messages of people clinicians rated at risk"),
    SIMILAR_TO_RISK_STATEMENT("close in meaning to a risk statement"),
    HOPELESSNESS_TREND("hopelessness with a falling mood");

    private final String label;

    CrisisConcept(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Intent, plan or preparatory acts: the screening's highest-risk answers. */
    public boolean severe() {
        return this == INTENT || this == PLAN || this == PREPARATORY_ACTS || this == METHOD;
    }
}

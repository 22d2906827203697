package io.chakrai.models.simulation;

import java.util.Locale;

/** What a simulated person is doing; readings carry it as a label ({@code metadata.sim_state}). */
public enum Activity {
    REST,
    EXERCISE,
    STRESS,
    SLEEP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.chakrai.jobs.stress;

import io.chakrai.models.content.WhatHelps;

/**
 * An episode recognised by the pattern: the last of its minutes, its level, confidence and
 * triggers.
 *
 * @param userId the person
 * @param minuteStart start of the episode's last (recognising) minute, epoch ms
 * @param firstMinute start of its first minute, epoch ms
 * @param level 0..100 (highest of its minutes)
 * @param confidence 0..1 (mean of its minutes)
 * @param triggers comma-separated signals
 * @param offer what to offer if it triggers an intervention, from what measurably helped this
 *     person; null: the detector's own advice
 * @param history its recognising minute arrived as history ({@link
 *     io.chakrai.models.readings.Arrival}): stored and listed, no intervention offered
 */
public record Onset(
        int userId,
        long minuteStart,
        long firstMinute,
        int level,
        double confidence,
        String triggers,
        WhatHelps.Offer offer,
        boolean history) {
    public Onset offering(WhatHelps.Offer o) {
        return new Onset(userId, minuteStart, firstMinute, level, confidence, triggers, o, history);
    }
}

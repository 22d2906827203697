package io.chakrai.jobs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chakrai.jobs.io.Usage;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.content.WhatHelps;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * What helped a person, as the stress job keeps it: the offer it makes, the last sessions only, and
 * an erasure.
 */
class ChooseInterventionTest {
    static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();

    static KeyedTwoInputStreamOperatorTestHarness<Integer, Onset, Usage, Onset> harness()
            throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new ChooseIntervention(0)),
                        Onset::userId,
                        Usage::userId,
                        Types.INT);
        h.open();
        return h;
    }

    static Usage session(long id, int user, String kind, double effectiveness, double hrChange) {
        return new Usage(
                id,
                user,
                1,
                T0 + id * 60_000,
                T0 + id * 60_000 + 600_000,
                kind,
                effectiveness,
                hrChange);
    }

    static WhatHelps.Offer offerAt(
            KeyedTwoInputStreamOperatorTestHarness<Integer, Onset, Usage, Onset> h,
            int user,
            long minute)
            throws Exception {
        return offerAt(h, user, minute, false);
    }

    static WhatHelps.Offer offerAt(
            KeyedTwoInputStreamOperatorTestHarness<Integer, Onset, Usage, Onset> h,
            int user,
            long minute,
            boolean history)
            throws Exception {
        h.processElement1(
                new Onset(
                        user,
                        T0 + minute * 60_000,
                        T0 + (minute - 4) * 60_000,
                        80,
                        0.8,
                        "heart_rate_elevated",
                        null,
                        history),
                0);
        var out = h.extractOutputValues();
        return out.get(out.size() - 1).offer();
    }

    @Test
    void whatMeasurablyHelpedIsOfferedAndUnmeasuredOrUnknownSessionsTeachNothing()
            throws Exception {
        var h = harness();
        assertNull(offerAt(h, 1, 100), "nothing measured yet: the detector's own advice");
        h.processElement2(session(1, 1, "story", Double.NaN, Double.NaN), 0); // not measured yet
        h.processElement2(session(2, 1, "a podcast", 0.9, -6), 0); // a kind it does not know
        assertNull(offerAt(h, 1, 101), "neither teaches anything");
        assertEquals(0, h.numKeyedStateEntries(), "neither is kept");
        for (long id = 3; id < 9; id++) {
            h.processElement2(session(id, 1, "meditation", 0.9, -6), 0);
        }
        assertEquals(ContentType.MEDITATION, offerAt(h, 1, 200).kind());
        assertNull(offerAt(h, 1, 201, true), "an episode in history is offered nothing");
        assertEquals(
                true,
                h.extractOutputValues().get(h.extractOutputValues().size() - 1).history(),
                "and passes on as history");
        h.close();
    }

    @Test
    void onlyTheLastSessionsCountAndAnErasureForgetsThemAll() throws Exception {
        var h = harness();
        for (long id = 1; id <= ChooseIntervention.KEEP + 50; id++) {
            // long ago worksheets helped most; lately stories help (a little less)
            h.processElement2(
                    session(id, 2, id <= 50 ? "worksheet" : "story", id <= 50 ? 0.95 : 0.9, -5), 0);
        }
        assertEquals(1, h.numKeyedStateEntries());
        WhatHelps.Offer offer = offerAt(h, 2, 500);
        assertEquals(
                ContentType.STORY,
                offer.kind(),
                "the old worksheets are forgotten: only the newest sessions count");
        assertEquals(ChooseIntervention.KEEP, offer.sessions());
        for (long id = 1; id <= ChooseIntervention.KEEP + 50; id++) {
            h.processElement2(
                    Usage.erasure(id, 2),
                    0); // the delete events of an erasure (V24: id and person)
        }
        assertEquals(0, h.numKeyedStateEntries(), "nothing of the person is kept");
        assertNull(offerAt(h, 2, 600));
        h.close();
    }
}

package io.chakrai.models.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhatHelpsTest {
    /** Someone whose heart rate falls after meditations and rises after stories. */
    static WhatHelps breathingHelps() {
        WhatHelps h = new WhatHelps();
        h.add(ContentType.MEDITATION, 0.86, -7);
        h.add(ContentType.MEDITATION, 0.78, -5);
        h.add(ContentType.MEDITATION, 0.81, -6);
        h.add(ContentType.STORY, 0.42, 3);
        h.add(ContentType.STORY, 0.38, 4);
        return h;
    }

    @Test
    void nothingMeasuredMeansNoOfferSoTheDetectorsOwnAdviceStands() {
        assertNull(new WhatHelps().choose(42, 0.15));
    }

    @Test
    void whatCalmedTheBodyIsOfferedWithTheEvidenceInPlainWords() {
        WhatHelps.Offer o = breathingHelps().choose(7, 0);
        assertEquals(ContentType.MEDITATION, o.kind());
        assertFalse(o.explored());
        assertEquals(3, o.sessions());
        assertEquals(-6, o.hrChange(), 1e-9);
        assertTrue(
                o.text().contains("heart rate fell by 6 bpm") && o.text().contains("3 times"),
                o.text());
    }

    @Test
    void oneLuckySessionDoesNotOutweighSeveralGoodOnes() {
        WhatHelps h = breathingHelps();
        h.add(ContentType.WORKSHEET, 0.95, -9);
        // 0.95 once, shrunk towards 0.5 by two neutral sessions: 0.65 < the meditations' 0.72
        assertEquals(ContentType.MEDITATION, h.choose(7, 0).kind());
        h.add(ContentType.WORKSHEET, 0.93, -8);
        h.add(ContentType.WORKSHEET, 0.94, -9);
        assertEquals(
                ContentType.WORKSHEET, h.choose(7, 0).kind(), "three sessions that calmed more do");
    }

    @Test
    void nothingBetterThanNeutralIsNotSoldAsWhatHelps() {
        WhatHelps h = new WhatHelps();
        h.add(ContentType.STORY, 0.45, 2);
        h.add(ContentType.WORKSHEET, 0.5, 0);
        assertNull(h.choose(3, 0));
    }

    @Test
    void aboutTheStatedShareOfOffersTryTheLeastTriedKindAndTheSameMomentGivesTheSameOffer() {
        WhatHelps h = breathingHelps();
        Map<ContentType, Integer> offered = new EnumMap<>(ContentType.class);
        int explored = 0;
        int n = 20_000;
        for (long t = 0; t < n; t++) {
            WhatHelps.Offer o = h.choose(17L * 1_000_003L ^ (t * 60_000L), 0.15);
            offered.merge(o.kind(), 1, Integer::sum);
            explored += o.explored() ? 1 : 0;
            assertEquals(
                    o,
                    h.choose(17L * 1_000_003L ^ (t * 60_000L), 0.15),
                    "deterministic for replays");
        }
        assertEquals(0.15, (double) explored / n, 0.01);
        // the never-tried worksheet is what exploration offers; the best kind is every other offer
        assertEquals(explored, offered.get(ContentType.WORKSHEET));
        assertEquals(n - explored, offered.get(ContentType.MEDITATION));
        assertTrue(
                h.choose(1, 1)
                        .text()
                        .startsWith(
                                "Signs of stress are building. Something you have not tried much"));
    }
}

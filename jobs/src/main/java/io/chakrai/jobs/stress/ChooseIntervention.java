package io.chakrai.jobs.stress;

import io.chakrai.jobs.io.Usage;
import io.chakrai.models.content.ContentType;
import io.chakrai.models.content.WhatHelps;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per person: remembers the measured effect of each content session (from the change stream of
 * {@code content_usage_tracking}, once the content graph has written it) and gives each episode
 * onset the offer {@link WhatHelps} makes from them. The last {@value #KEEP} sessions count, so
 * what helps now outweighs what helped a year ago; a session's second change event (a rating given
 * later) is not counted twice, and a deleted session (an erasure) is forgotten.
 */
final class ChooseIntervention extends KeyedCoProcessFunction<Integer, Onset, Usage, Onset> {
    private static final long serialVersionUID = 1L;
    static final int KEEP = 100;
    private final double explore;
    private transient MapState<Long, double[]>
            sessions; // usage id → {kind ordinal, effectiveness, hr change}

    ChooseIntervention(double explore) {
        this.explore = explore;
    }

    @Override
    public void open(OpenContext ctx) {
        sessions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "measured-sessions",
                                        TypeInformation.of(Long.class),
                                        TypeInformation.of(new TypeHint<double[]>() {})));
    }

    @Override
    public void processElement1(Onset o, Context ctx, Collector<Onset> out) throws Exception {
        if (o.history()) {
            out.collect(o); // nothing will be offered for it
            return;
        }
        WhatHelps helps = new WhatHelps();
        for (double[] s : sessions.values()) {
            helps.add(ContentType.values()[(int) s[0]], s[1], s[2]);
        }
        out.collect(o.offering(helps.choose(WhatHelps.seed(o.userId(), o.minuteStart()), explore)));
    }

    @Override
    public void processElement2(Usage u, Context ctx, Collector<Onset> out) throws Exception {
        if (u.erased()) {
            sessions.remove(u.id());
            return;
        }
        if (!u.measured()
                || u.contentType() == null
                || ContentType.fromWire(u.contentType()).isEmpty()) {
            return;
        }
        sessions.put(
                u.id(),
                new double[] {
                    ContentType.fromWire(u.contentType()).get().ordinal(),
                    u.effectiveness(),
                    u.hrChange()
                });
        List<Long> ids = new ArrayList<>();
        sessions.keys().forEach(ids::add);
        if (ids.size() > KEEP) {
            ids.sort(null);
            for (Long id : ids.subList(0, ids.size() - KEEP)) {
                sessions.remove(id);
            }
        }
    }
}

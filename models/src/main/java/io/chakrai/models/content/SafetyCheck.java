package io.chakrai.models.content;

import io.chakrai.models.groups.CrisisDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every piece of content must pass before it is stored, whoever wrote it (the built-in
 * generator or an LLM backend): no diagnoses, dosages or medical claims; nothing that could harm
 * someone in crisis (no method or self-harm language: the crisis detector run on the content
 * itself); no unfilled placeholder; every part of its structure present; a sane length.
 */
public final class SafetyCheck {
    private static final Map<String, Pattern> FORBIDDEN =
            Map.of(
                    "a diagnosis",
                            Pattern.compile(
                                    "(?i)\\b(?:you (?:have|probably have|likely have|may have|are suffering from|suffer from|"
                                            + "are diagnosed with|are) (?:a |an |clinical |severe |major )?(?:depression|depressive disorder|anxiety disorder|ptsd|"
                                            + "bipolar|ocd|adhd|insomnia|panic disorder|personality disorder|disorder|mental illness|illness)|diagnos(?:is|ed|e|ing))\\b"),
                    "a dosage or medication advice",
                            Pattern.compile(
                                    "(?i)\\b\\d+(?:\\.\\d+)?\\s?(?:mg|milligrams?|ml|mcg|µg)\\b|\\bdos(?:e|age)s?\\b|"
                                            + "\\b(?:take|stop taking|increase|reduce) (?:your |more |less |extra )?(?:medication|medicine|pills|tablets|meds)\\b"),
                    "a medical claim",
                            Pattern.compile(
                                    "(?i)\\b(?:cures?|cured|guarante\\w*|clinically proven|heals? (?:your )?(?:depression|anxiety)|"
                                            + "instead of (?:your )?(?:medication|therapy|treatment|doctor)|replaces? (?:your )?(?:medication|therapy|treatment))\\b"),
                    "a means of self-harm",
                            Pattern.compile(
                                    "(?i)\\b(?:jump\\w* (?:off|from|in front)|bridge|noose|rope|overdos\\w*|lethal|razor|"
                                            + "blades?|guns?|hang(?:ing|ed)? (?:myself|yourself|themselves)|slit\\w*|suicide (?:method|note)s?|kill (?:myself|yourself))\\b"),
                    "an unfilled placeholder",
                            Pattern.compile(
                                    "\\{\\{|\\}\\}|\\{%|%\\}|\\$\\{|\\bTODO\\b|\\bnull\\b|\\bundefined\\b"));

    /** The parts each structure must show, as its section headings. */
    public static final Map<String, List<String>> PARTS =
            Map.of(
                    "body_scan",
                            List.of(
                                    "Settle",
                                    "Intention",
                                    "Anchor",
                                    "Guided attention",
                                    "Returning without judgement",
                                    "Close"),
                    "breath",
                            List.of(
                                    "Settle",
                                    "Intention",
                                    "Anchor",
                                    "Guided attention",
                                    "Returning without judgement",
                                    "Close"),
                    "thought_record",
                            List.of(
                                    "1. Situation",
                                    "2. Emotions",
                                    "3. Automatic thoughts",
                                    "4. Evidence for the hot thought",
                                    "5. Evidence against the hot thought",
                                    "6. Balanced thought",
                                    "7. Re-rate your emotions",
                                    "8. Thinking traps"),
                    "behavioural_activation",
                            List.of(
                                    "1. What matters to you",
                                    "2. Activities that fit",
                                    "3. Schedule",
                                    "4. Before and after",
                                    "5. Review"),
                    "worry_time",
                            List.of(
                                    "1. Choose your worry time",
                                    "2. Postpone",
                                    "3. During worry time",
                                    "4. Notice"),
                    "story", List.of("The problem", "What they found", "What changed"));

    private static final CrisisDetector CRISIS = new CrisisDetector();

    private SafetyCheck() {}

    /** The problems found; empty when the content may be stored. */
    public static List<String> problems(Generated g) {
        List<String> out = new ArrayList<>();
        FORBIDDEN.forEach(
                (what, p) -> {
                    if (p.matcher(g.text()).find() || p.matcher(g.title()).find()) {
                        out.add("contains " + what);
                    }
                });
        if (CRISIS.assess(g.text(), List.of(), 0).flagged()) {
            out.add("contains language unsafe for someone in crisis");
        }
        List<String> parts = PARTS.get(g.variant());
        if (parts == null) {
            out.add("unknown structure " + g.variant());
        } else {
            for (String part : parts) {
                if (!g.text().contains("## " + part)) {
                    out.add("misses its part '" + part + "'");
                }
            }
        }
        if (g.text().length() < 300 || g.text().length() > 40_000) {
            out.add("is " + g.text().length() + " characters long (300–40,000)");
        }
        if (g.title().isBlank() || g.title().length() > 120) {
            out.add("has no usable title");
        }
        return out;
    }
}

package io.chakrai.models.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which chat messages are worth an embedding: those with a word of a broad crisis vocabulary (death
 * and harm, means and places, time and plans, goodbyes, arrangements: {@link #VOCABULARY}), and
 * those a logistic regression on the words and word pairs of the prepared message scores at or
 * above its threshold. The regression is fitted by {@code ./chakrai train-crisis} beside the chat
 * model on the same messages, its threshold the highest at which the two together let through 99 %
 * of the chat validation messages needing a human (the vocabulary alone: 91 %). Both cost
 * microseconds where an embedding costs milliseconds, so group chat keeps its rate; the vocabulary
 * is the floor (a message with one of its words is always judged, whatever other words it holds),
 * the regression adds the veiled ones no list foresaw ("cancelled all my appointments for next
 * month"). It only opens the door: the chat model decides.
 */
public final class CrisisChatGate {
    /** A gate that lets every message through (a model fitted without one, tests). */
    public static final CrisisChatGate OPEN = new CrisisChatGate(Map.of(), 0, 0);

    private static final Pattern NOT_A_WORD = Pattern.compile("[^a-z0-9']+");

    /**
     * The words a chat message in crisis is written with. On the chat validation messages it lets
     * through 91 % of those needing a human and 55 % of ordinary ones; 22 % of GoEmotions comments.
     */
    static final Pattern VOCABULARY =
            Pattern.compile(
                    "\\b(?:die|dying|dead|death|kill\\w*|suicid\\w*|end|ends|ending|ended|enough|gone|goodbyes?|bye|"
                            + "last|final|forever|anymore|longer|soon|tonight|tomorrow|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                            + "ready|plan\\w*|decided|date|note|letters?|wills?|burden|better off|without me|"
                            + "safe|safety|trust|alive|living|life|stop|exist\\w*|reason|matter\\w*|hope\\w*|"
                            + "gave|giving|delete\\w*|account\\w*|pills?|tablets?|meds|medication|paracetamol|tylenol|insulin|overdos\\w*|od|"
                            + "rope|noose|cord|belt|hang\\w*|blades?|razors?|knife|knives|guns?|rifle|shoot|bullets?|poison|bleach|"
                            + "charcoal|exhaust|hose|garage|cut\\w*|burn\\w*|bleed\\w*|blood|scars?|hurt\\w*|harm\\w*|stitches|"
                            + "bridge|roof\\w*|floor|window|ledge|edge|cliff\\w*|quarry|tracks|train|platform|railway|river|sea|ocean|lake|"
                            + "water|drown\\w*|jump\\w*|wak(?:e|es|ing|en)|woke\\w*|sleep|asleep|disappear\\w*|vanish\\w*|leave|leaving|escape|"
                            + "way out|peace|quiet|silence|nobody|no one|worthless|pointless|"
                            + "hopeless|trapped|fault|problem|bother\\w*|pain|numb|empty|kids|cat|dog|fish|pets?|insurance|"
                            + "pension|passwords?|funeral|grave|bury|sorted|arrange\\w*|tried|attempt\\w*|"
                            + "method|ways?|same way|where i'm going|deserv\\w*|everything|unalive|kms)\\b");

    private final Map<String, Float> weights;
    private final double bias;
    private final double threshold;

    public CrisisChatGate(Map<String, Float> weights, double bias, double threshold) {
        this.weights = Map.copyOf(weights);
        this.bias = bias;
        this.threshold = threshold;
    }

    /**
     * The features of a prepared message: each word ({@code w:}) and each pair of neighbouring
     * words ({@code b:}), with {@code ^} and {@code $} marking its start and end.
     */
    public static Set<String> features(String prepared) {
        Set<String> out = new LinkedHashSet<>();
        String previous = "^";
        for (String word : NOT_A_WORD.split(prepared.toLowerCase(Locale.ROOT))) {
            if (word.isEmpty()) {
                continue;
            }
            out.add("w:" + word);
            out.add("b:" + previous + " " + word);
            previous = word;
        }
        out.add("b:" + previous + " $");
        return out;
    }

    /** The probability the fitted regression gives the message (prepared). */
    public double score(String prepared) {
        double z = bias;
        for (String f : features(prepared)) {
            Float w = weights.get(f);
            if (w != null) {
                z += w;
            }
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** Whether the message has a word of {@link #VOCABULARY}. */
    public static boolean inVocabulary(String prepared) {
        return VOCABULARY.matcher(prepared).find();
    }

    /** A word of the vocabulary, or the regression's score at or above the threshold. */
    public boolean passes(String prepared) {
        return VOCABULARY.matcher(prepared).find() || score(prepared) >= threshold;
    }

    public double threshold() {
        return threshold;
    }

    public int size() {
        return weights.size();
    }

    public CrisisChatGate withThreshold(double t) {
        return new CrisisChatGate(weights, bias, t);
    }

    /** Weights to five decimals, features sorted (a refit shows as a readable diff). */
    public ObjectNode write() {
        ObjectNode n = io.chakrai.models.Json.MAPPER.createObjectNode();
        n.put("bias", round(bias));
        n.put("threshold", threshold);
        ObjectNode w = n.putObject("weights");
        new TreeMap<>(weights).forEach((k, v) -> w.put(k, round(v)));
        return n;
    }

    public static CrisisChatGate read(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return OPEN;
        }
        Map<String, Float> weights = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("weights").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            weights.put(e.getKey(), (float) e.getValue().asDouble());
        }
        return new CrisisChatGate(
                weights, n.path("bias").asDouble(), n.path("threshold").asDouble());
    }

    private static double round(double x) {
        return Math.round(x * 1e5) / 1e5;
    }

    /** The features of many messages, for fitting: each feature's index, given in order seen. */
    public static List<int[]> encode(List<String> prepared, Map<String, Integer> index) {
        List<int[]> out = new ArrayList<>(prepared.size());
        for (String p : prepared) {
            out.add(
                    features(p).stream()
                            .map(index::get)
                            .filter(java.util.Objects::nonNull)
                            .mapToInt(Integer::intValue)
                            .toArray());
        }
        return out;
    }
}

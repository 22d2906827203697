package io.chakrai.lab.crisis;

/**
 * One text of a public crisis-language corpus, as the split, training and evaluation read it.
 *
 * @param source {@code cssrs} (Reddit C-SSRS, Gaur et al. 2019), {@code goemotions} (Demszky et al.
 *     2020) or {@code counselchat} (Bertagnolli 2020)
 * @param group what the label is about and what is never split across train and test: a C-SSRS
 *     user, a GoEmotions comment, a CounselChat question
 * @param label 1 when the group needs a human now (a C-SSRS user rated Ideation, Behavior or
 *     Attempt), else 0
 * @param level the source's own label: the C-SSRS level, GoEmotions' emotions, CounselChat's topic
 * @param text as the author wrote it
 */
public record CrisisText(String source, String group, int label, String level, String text) {
    /**
     * A chat message labelled on its own (data/crisis/chat-*.tsv), not a post of a person whose
     * label it shares.
     */
    public boolean chat() {
        return source.startsWith("chat-");
    }

    /** At most 30 words: what a chat message is. */
    public boolean chatLength() {
        return words() <= 30;
    }

    public int words() {
        String t = text.trim();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /**
     * One line of a split file: tab-separated, with tabs and line breaks in the text written as
     * spaces.
     */
    public String tsv() {
        return String.join(
                "\t",
                source,
                group,
                Integer.toString(label),
                level,
                text.replaceAll("[\\t\\r\\n]+", " ").trim());
    }

    public static CrisisText fromTsv(String line) {
        String[] f = line.split("\t", 5);
        return new CrisisText(f[0], f[1], Integer.parseInt(f[2]), f[3], f.length > 4 ? f[4] : "");
    }
}

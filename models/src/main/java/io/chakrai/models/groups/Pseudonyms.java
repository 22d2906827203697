package io.chakrai.models.groups;

import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The only name other members ever see: a random "Calm Heron 42" per person per group, stored with
 * the membership (so it is stable in that group) and drawn afresh for every group (so nobody can
 * follow a person from group to group). 40 × 40 × 90 = 144,000 names; a clash within a group is
 * redrawn.
 */
public final class Pseudonyms {
    private static final List<String> ADJECTIVES =
            List.of(
                    "Calm",
                    "Gentle",
                    "Brave",
                    "Quiet",
                    "Kind",
                    "Steady",
                    "Bright",
                    "Warm",
                    "Patient",
                    "Curious",
                    "Hopeful",
                    "Soft",
                    "Clear",
                    "Open",
                    "Honest",
                    "Mellow",
                    "Sunny",
                    "Peaceful",
                    "Careful",
                    "Easy",
                    "Lively",
                    "Tender",
                    "Wise",
                    "Bold",
                    "Humble",
                    "Serene",
                    "Cheerful",
                    "Graceful",
                    "Thoughtful",
                    "Loyal",
                    "Friendly",
                    "Silver",
                    "Golden",
                    "Misty",
                    "Amber",
                    "Coral",
                    "Cedar",
                    "Maple",
                    "Willow",
                    "River");
    private static final List<String> ANIMALS =
            List.of(
                    "Heron",
                    "Otter",
                    "Fox",
                    "Robin",
                    "Owl",
                    "Deer",
                    "Hare",
                    "Wren",
                    "Finch",
                    "Badger",
                    "Seal",
                    "Swan",
                    "Lark",
                    "Dolphin",
                    "Panda",
                    "Koala",
                    "Lynx",
                    "Crane",
                    "Sparrow",
                    "Turtle",
                    "Falcon",
                    "Beaver",
                    "Hedgehog",
                    "Puffin",
                    "Kestrel",
                    "Marten",
                    "Ibex",
                    "Gazelle",
                    "Bison",
                    "Moose",
                    "Raven",
                    "Dove",
                    "Starling",
                    "Kingfisher",
                    "Salmon",
                    "Whale",
                    "Pelican",
                    "Squirrel",
                    "Llama",
                    "Tortoise");
    private final RandomGenerator random;

    public Pseudonyms() {
        this(new SecureRandom());
    }

    public Pseudonyms(RandomGenerator random) {
        this.random = random;
    }

    public String next() {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
                + " "
                + ANIMALS.get(random.nextInt(ANIMALS.size()))
                + " "
                + (10 + random.nextInt(90));
    }
}

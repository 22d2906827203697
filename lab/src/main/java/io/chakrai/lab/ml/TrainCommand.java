package io.chakrai.lab.ml;

import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.models.Json;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.HyperParameters;
import io.chakrai.models.ml.ModelKind;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chakrai train}: evaluates every model kind leave-one-subject-out on a labelled feature
 * table, trains and calibrates the chosen one on everyone, and writes the model bytes, a JSON of
 * the figures and an HTML report with plots.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train and evaluate (leave-one-subject-out) a stress classifier on a labelled feature table.")
public final class TrainCommand implements Callable<Integer> {

    /** Known public tables: where they are and how to read their labels. */
    enum Dataset {
        WESAD_WRIST(
                "../shared/data/wesad-wrist-features/features.csv",
                "subject",
                "label",
                Set.of("2"),
                Set.of("4"),
                Set.of("t_center_s", "is_stress")),
        WESAD_CHEST(
                "../shared/data/wesad-chest-features/wesad_features.csv",
                "subject",
                "label",
                Set.of("1"),
                Set.of(),
                Set.of()),
        /**
         * Any labelled table (e.g. voice features with depression labels): --data and the column
         * options say how.
         */
        CSV(null, null, null, Set.of(), Set.of(), Set.of()),
        /**
         * Rows of a SQL query on the platform's PostgreSQL (--query, --db-url) with the same column
         * options.
         */
        SQL(null, null, null, Set.of(), Set.of(), Set.of()),
        /**
         * The platform's own history: every questionnaire answered, with the risk features of the
         * day before it (--outcome says which answer is predicted); evaluated by person and time
         * against the rule.
         */
        PLATFORM_RISK(null, null, null, Set.of(), Set.of(), Set.of());

        final String path;
        final String subject;
        final String label;
        final Set<String> positive;
        final Set<String> drop;
        final Set<String> exclude;

        Dataset(
                String path,
                String subject,
                String label,
                Set<String> positive,
                Set<String> drop,
                Set<String> exclude) {
            this.path = path;
            this.subject = subject;
            this.label = label;
            this.positive = positive;
            this.drop = drop;
            this.exclude = exclude;
        }
    }

    @Option(
            names = "--dataset",
            defaultValue = "WESAD_WRIST",
            description =
                    "WESAD_WRIST (stress vs baseline + amusement, wrist features only), WESAD_CHEST, CSV "
                            + "(your own table: --data, --name and the column options), SQL (--query), or PLATFORM_RISK (the "
                            + "platform's questionnaire answers with the risk features of the day before each) (default: ${DEFAULT-VALUE})")
    Dataset dataset;

    @Option(names = "--query", description = "SQL: the query whose rows are the table")
    String query;

    @Option(
            names = "--subject-column",
            defaultValue = "subject",
            description =
                    "the person column (SQL: the user id, so consent can be checked; default: ${DEFAULT-VALUE})")
    String subjectColumn;

    @Option(
            names = "--label-column",
            defaultValue = "label",
            description = "CSV: the label column (default: ${DEFAULT-VALUE})")
    String labelColumn;

    @Option(
            names = "--positive",
            split = ",",
            defaultValue = "1",
            description = "CSV: label values that mean 1 (default: ${DEFAULT-VALUE})")
    Set<String> positive;

    @Option(
            names = "--exclude",
            split = ",",
            description = "CSV: columns that are not features (e.g. file)")
    Set<String> exclude = Set.of();

    @Option(
            names = "--data",
            description = "the CSV (default: the dataset's file under ../shared/data)")
    Path data;

    @Option(
            names = "--model",
            defaultValue = "BEST",
            description =
                    "the kind to ship: BEST (the best "
                            + LeaveOneSubjectOut.SEARCH_METRIC
                            + " in the evaluation), RANDOM_FOREST, GRADIENT_BOOSTING or LOGISTIC_REGRESSION "
                            + "(default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--search",
            description =
                    "choose each kind's settings by nested cross-validation: inside every "
                            + "held-out person's fold, grouped 3-fold over the other people, over a small grid (forest: leaves, depth, node "
                            + "size, features per split; boosting: rounds, tree size, shrinkage; regression: L2 penalty); without it, "
                            + "the defaults")
    boolean search;

    @Option(
            names = "--out",
            defaultValue = "reports",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
            names = "--per-person",
            description =
                    "z-score every feature within each person first (a personal "
                            + "baseline from their unlabelled rows); evaluation only: the scoring job does not standardise yet, so "
                            + "it cannot be combined with --register")
    boolean perPerson;

    @Option(
            names = "--features",
            split = ",",
            description =
                    "train on these features only (e.g. hr_mean,hr_std,rmssd "
                            + "for the per-minute scoring job)")
    List<String> only;

    @Option(
            names = "--per-person-running",
            description =
                    "z-score every feature within each person against only "
                            + "their earlier rows (time order from --order-column): a personal baseline the scoring job keeps too")
    boolean perPersonRunning;

    @Option(
            names = "--baseline-windows",
            defaultValue = "0",
            description =
                    "with --per-person-running: each person's "
                            + "statistics learn from their first N windows only and are then frozen (a calibration period; the scoring "
                            + "job does the same); 0: from all their earlier windows (default: ${DEFAULT-VALUE})")
    int baselineWindows;

    @Option(
            names = "--order-column",
            defaultValue = "t_center_s",
            description =
                    "the time column for --per-person-running " + "(default: ${DEFAULT-VALUE})")
    String orderColumn;

    @Option(
            names = "--register",
            description = "also register the shipped model as a new version in the model registry")
    boolean register;

    @Option(names = "--name", description = "registry name (default: stress_<dataset>)")
    String name;

    @Option(
            names = "--outcome",
            defaultValue = "PHQ9_GE10",
            description =
                    "PLATFORM_RISK: PHQ9_GE10 or GAD7_GE10, "
                            + "the answer predicted from the day before it (default: ${DEFAULT-VALUE})")
    RiskDataset.Outcome outcome;

    @Option(
            names = "--train-share",
            defaultValue = "0.6",
            description =
                    "PLATFORM_RISK: the share of answers (the "
                            + "earliest) models may train on in the evaluation; the later ones of held-out people are the test (default: ${DEFAULT-VALUE})")
    double trainShare;

    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Override
    public Integer call() throws Exception {
        if (dataset == Dataset.PLATFORM_RISK) {
            return platformRisk();
        }
        boolean own = dataset == Dataset.CSV || dataset == Dataset.SQL;
        if (dataset == Dataset.CSV && (data == null || name == null)
                || dataset == Dataset.SQL && (query == null || name == null)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--dataset CSV needs --data FILE.csv, --dataset SQL needs --query, and both --name (the registry name)");
        }
        if (perPersonRunning && dataset == Dataset.SQL) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--per-person-running needs a file with a time column (CSV or WESAD_WRIST)");
        }
        Path csv = data != null ? data : dataset.path == null ? null : Path.of(dataset.path);
        FeatureTable t;
        if (dataset == Dataset.SQL) {
            try (Connection c = db.dataSource().getConnection()) {
                // only people who opted in to model training, and each one's audit trail says so
                t =
                        TrainingData.read(
                                c, query, subjectColumn, labelColumn, positive, exclude, name);
            }
        } else {
            t =
                    own
                            ? FeatureTable.csv(
                                    csv, subjectColumn, labelColumn, positive, Set.of(), exclude)
                            : FeatureTable.csv(
                                    csv,
                                    dataset.subject,
                                    dataset.label,
                                    dataset.positive,
                                    dataset.drop,
                                    dataset.exclude);
        }
        if (perPersonRunning) {
            Set<String> keepOrder = new HashSet<>(own ? exclude : dataset.exclude);
            keepOrder.remove(orderColumn);
            t =
                    (own
                                    ? FeatureTable.csv(
                                            csv,
                                            subjectColumn,
                                            labelColumn,
                                            positive,
                                            Set.of(),
                                            keepOrder)
                                    : FeatureTable.csv(
                                            csv,
                                            dataset.subject,
                                            dataset.label,
                                            dataset.positive,
                                            dataset.drop,
                                            keepOrder))
                            .standardisedPerSubjectInTimeOrder(orderColumn, baselineWindows);
        }
        if (perPerson) {
            if (register) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "--per-person models need per-person statistics when scoring, which the scoring job does not keep yet: "
                                + "evaluate with --per-person, register without it");
            }
            t = t.standardisedPerSubject();
        }
        if (only != null) {
            t = t.select(only);
        }
        System.out.printf(
                "%s: %d rows, %d people, features %s%n",
                dataset, t.y().length, t.subjectIds().size(), t.features());
        ModelKind asked = "BEST".equalsIgnoreCase(model) ? null : parseKind(model);
        List<LeaveOneSubjectOut.Result> results = new ArrayList<>();
        for (ModelKind k : ModelKind.values()) {
            long began = System.nanoTime();
            List<HyperParameters> grid =
                    search ? HyperParameters.grid(k) : List.of(HyperParameters.defaults(k));
            LeaveOneSubjectOut.Result r =
                    LeaveOneSubjectOut.run(
                            t, k, grid, 3, seed, msg -> System.out.println("  " + msg));
            results.add(r);
            System.out.printf(
                    Locale.ROOT,
                    "%s: accuracy %.3f (mean over people), balanced accuracy %.3f, F1 %.3f, "
                            + "ROC AUC %.3f  [%.0f s]%n",
                    k,
                    r.meanAccuracy(),
                    r.meanBalancedAccuracy(),
                    r.pooled().f1(),
                    r.pooled().auc(),
                    (System.nanoTime() - began) / 1e9);
        }
        ModelKind kind =
                asked != null
                        ? asked
                        : results.stream()
                                .max(
                                        java.util.Comparator.comparingDouble(
                                                LeaveOneSubjectOut.Result::meanBalancedAccuracy))
                                .orElseThrow()
                                .kind();
        HyperParameters settings =
                search
                        ? LeaveOneSubjectOut.search(t, kind, HyperParameters.grid(kind), 3, seed)
                        : HyperParameters.defaults(kind);
        System.out.println(
                "training the shipped "
                        + kind
                        + (asked == null ? " (best " + LeaveOneSubjectOut.SEARCH_METRIC + ")" : "")
                        + " with "
                        + settings.describe(kind)
                        + " on everyone, calibrated on 3-fold grouped out-of-fold scores");
        TrainedModel shipped = LeaveOneSubjectOut.finalModel(t, kind, settings, seed, 3);
        if (perPersonRunning) {
            shipped.markPerPersonRunning(baselineWindows);
        }
        Path dir =
                out.resolve(
                        (own ? name : dataset.name().toLowerCase(Locale.ROOT))
                                + (perPerson ? "-per-person" : "")
                                + (perPersonRunning
                                        ? "-running"
                                                + (baselineWindows > 0
                                                        ? "-first-" + baselineWindows
                                                        : "")
                                        : ""));
        writeAndRegister(
                dir,
                shipped,
                Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(
                                Report.json(own ? name : dataset.name(), t, results, shipped)),
                Report.html(own ? name : dataset.name(), t, results, shipped),
                name != null ? name : "stress_" + dataset.name().toLowerCase(Locale.ROOT),
                t.dataHash(),
                "models promote");
        return 0;
    }

    /**
     * Writes {@code model.bin}, {@code report.json} and {@code report.html} to {@code dir} and,
     * with {@code --register}, registers the model under {@code registryName} with the report as
     * its figures; {@code next} is the command to run with the new version.
     */
    private void writeAndRegister(
            Path dir,
            TrainedModel shipped,
            String json,
            String html,
            String registryName,
            String dataHash,
            String next)
            throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.bin"), shipped.toBytes());
        Files.writeString(dir.resolve("report.json"), json);
        Files.writeString(dir.resolve("report.html"), html);
        System.out.println("wrote " + dir.resolve("model.bin") + ", report.json, report.html");
        if (register) {
            int v =
                    new ModelRegistry(db.dataSource())
                            .register(
                                    registryName,
                                    shipped,
                                    json,
                                    dataHash,
                                    System.getProperty("user.name", "unknown"));
            System.out.printf(
                    "registered %s v%d (candidate); next: chakrai %s %s %d%n",
                    registryName, v, next, registryName, v);
        }
    }

    /**
     * {@code --dataset PLATFORM_RISK}: read, evaluate by person and time against the rule, ship the
     * best, register.
     */
    private int platformRisk() throws Exception {
        String n = name != null ? name : outcome.modelName;
        RiskDataset.Table t;
        try (Connection c = db.dataSource().getConnection()) {
            t = RiskDataset.read(c, outcome, n);
        }
        System.out.println(RiskDataset.describe(t));
        RiskTraining.Evaluation e =
                RiskTraining.evaluate(
                        t, trainShare, 5, seed, search, msg -> System.out.println("  " + msg));
        System.out.print(e.heldOut().table());
        ModelKind kind = "BEST".equalsIgnoreCase(model) ? e.best() : parseKind(model);
        TrainedModel shipped = RiskTraining.ship(t, kind, seed, search);
        System.out.println(
                "shipped " + kind + (kind == e.best() ? " (best ROC AUC held out)" : ""));
        writeAndRegister(
                out.resolve(n),
                shipped,
                Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(RiskTraining.json(t, e, shipped)),
                RiskTraining.html(t, e, shipped),
                n,
                t.dataHash(),
                "models challenge");
        return 0;
    }

    private ModelKind parseKind(String s) {
        try {
            return ModelKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--model must be BEST, RANDOM_FOREST, "
                            + "GRADIENT_BOOSTING or LOGISTIC_REGRESSION, not "
                            + s);
        }
    }
}

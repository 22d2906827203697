package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.models.Json;
import io.chakrai.models.ml.FeatureTable;
import io.chakrai.models.ml.ModelRegistry;
import io.chakrai.models.ml.TrainedModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chakrai models list|promote|rollback|compare}: the model registry from the command line.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "The model registry: list, challenge, compare, promote, roll back.",
        subcommands = {
            ModelsCommand.ListVersions.class,
            ModelsCommand.Challenge.class,
            ModelsCommand.Promote.class,
            ModelsCommand.Rollback.class,
            ModelsCommand.Compare.class
        })
public final class ModelsCommand implements Runnable {
    @Option(
            names = "--db-url",
            defaultValue = "${env:CHAKRAI_DB_URL:-jdbc:postgresql://localhost:5432/chakrai}",
            scope = CommandLine.ScopeType.INHERIT)
    String dbUrl;

    @Option(
            names = "--db-user",
            defaultValue = "${env:CHAKRAI_DB_USER:-postgres}",
            scope = CommandLine.ScopeType.INHERIT)
    String dbUser;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    ModelRegistry registry() {
        return new ModelRegistry(dataSource());
    }

    javax.sql.DataSource dataSource() {
        return DatabaseOptions.dataSource(dbUrl, dbUser);
    }

    @Command(
            name = "list",
            description = "Every version of a model, with its stage and headline figures.")
    static final class ListVersions implements Callable<Integer> {
        @ParentCommand ModelsCommand parent;

        @Parameters(index = "0", description = "model name, e.g. stress_wesad_wrist")
        String name;

        @Override
        public Integer call() throws Exception {
            System.out.printf(
                    "%-8s %-11s %-20s %-26s %-10s %s%n",
                    "version", "stage", "kind", "created", "by", "accuracy (LOSO)");
            for (ModelRegistry.Version v : parent.registry().list(name)) {
                System.out.printf(
                        Locale.ROOT,
                        "%-8d %-11s %-20s %-26s %-10s %s%n",
                        v.version(),
                        v.stage(),
                        v.kind(),
                        v.createdAt(),
                        v.createdBy(),
                        headline(v));
            }
            return 0;
        }
    }

    @Command(
            name = "challenge",
            description =
                    "Let a version shadow the production one: the daily risk job scores "
                            + "every person with it too and shows its scores to nobody, so `models compare` can judge it on outcomes.")
    static final class Challenge implements Callable<Integer> {
        @ParentCommand ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Parameters(index = "1", arity = "0..1", description = "the version (omit with --stop)")
        Integer version;

        @Option(
                names = "--stop",
                description = "end the shadowing (the challenger goes back to candidate)")
        boolean stop;

        @Override
        public Integer call() throws Exception {
            if (stop) {
                System.out.println(
                        parent.registry().endChallenge(name)
                                ? name + ": no challenger now"
                                : name + " had no challenger");
                return 0;
            }
            if (version == null) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "give the version to challenge with, or --stop");
            }
            parent.registry().challenge(name, version);
            System.out.printf(
                    "%s v%d now shadows %s in the daily risk job (it picks this up within its --model-refresh-s)%n",
                    name,
                    version,
                    parent.registry().production(name).map(p -> "v" + p).orElse("the rule"));
            return 0;
        }
    }

    @Command(
            name = "promote",
            description =
                    "Make a version the production one (the previous one is archived). A risk "
                            + "model must have shadowed the champion and beaten it on the outcomes since it was trained (models compare); "
                            + "--force promotes anyway.")
    static final class Promote implements Callable<Integer> {
        @ParentCommand ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        int version;

        @Option(
                names = "--force",
                description = "promote even when the comparison does not show it better")
        boolean force;

        @Override
        public Integer call() throws Exception {
            if (RiskDataset.Outcome.forModel(name) != null) {
                ModelRegistry r = parent.registry();
                boolean shadowed = r.challenger(name).filter(c -> c == version).isPresent();
                ShadowComparison.Result cmp =
                        ShadowComparison.of(parent.dataSource(), name, version);
                System.out.print(cmp.comparison().table());
                String refusal =
                        !shadowed
                                ? name
                                        + " v"
                                        + version
                                        + " is not the challenger: let it shadow first "
                                        + "(chakrai models challenge "
                                        + name
                                        + " "
                                        + version
                                        + ")"
                                : cmp.better() ? null : cmp.why();
                if (refusal != null && !force) {
                    System.out.println("not promoted: " + refusal + " (--force promotes anyway)");
                    return 2;
                }
                System.out.println(refusal == null ? cmp.why() : "forced past: " + refusal);
            }
            parent.registry().promote(name, version);
            System.out.printf("%s v%d is now in production%n", name, version);
            return 0;
        }
    }

    @Command(name = "rollback", description = "Put back the version that was in production before.")
    static final class Rollback implements Callable<Integer> {
        @ParentCommand ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Override
        public Integer call() throws Exception {
            System.out.printf(
                    "%s v%d is in production again%n", name, parent.registry().rollback(name));
            return 0;
        }
    }

    @Command(
            name = "compare",
            description =
                    "Two versions side by side: their training figures and, given a labelled "
                            + "table neither was trained on, both scored on the same rows. With only a risk model's name: its champion "
                            + "and challenger on the outcomes that arrived since the challenger was trained.")
    static final class Compare implements Callable<Integer> {
        @ParentCommand ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Parameters(index = "1", arity = "0..1")
        Integer a;

        @Parameters(index = "2", arity = "0..1")
        Integer b;

        @Option(
                names = "--report",
                description =
                        "shadow comparison: also write this HTML page (ROC and calibration side by side)")
        Path report;

        @Option(names = "--data", description = "held-out CSV with the models' feature columns")
        Path data;

        @Option(names = "--subject", defaultValue = "subject")
        String subject;

        @Option(names = "--label", defaultValue = "label")
        String label;

        @Option(names = "--positive", defaultValue = "1", split = ",")
        Set<String> positive;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = parent.registry();
            if (a == null || b == null) {
                int challenger =
                        r.challenger(name)
                                .orElseThrow(
                                        () ->
                                                new CommandLine.ParameterException(
                                                        new CommandLine(this),
                                                        name
                                                                + " has no challenger: give two versions, or let one shadow with models challenge"));
                ShadowComparison.Result cmp =
                        ShadowComparison.of(parent.dataSource(), name, challenger);
                System.out.println(
                        cmp.challenger()
                                + " (challenger) vs "
                                + cmp.champion()
                                + " (champion), on outcomes since "
                                + cmp.since());
                System.out.print(cmp.comparison().table());
                System.out.println(cmp.why());
                if (report != null) {
                    java.nio.file.Files.writeString(
                            report,
                            RiskComparison.page(
                                    name + ": champion and challenger",
                                    cmp.comparison().html() + "<p>" + cmp.why() + "</p>"));
                    System.out.println("wrote " + report);
                }
                return 0;
            }
            for (ModelRegistry.Version v : r.list(name)) {
                if (v.version() == a || v.version() == b) {
                    System.out.printf(
                            "v%d  %-11s %-20s trained on %s…  %s%n",
                            v.version(),
                            v.stage(),
                            v.kind(),
                            v.dataSha256().substring(0, 12),
                            headline(v));
                }
            }
            if (data != null) {
                for (int v : new int[] {a, b}) {
                    TrainedModel m = r.load(name, v);
                    FeatureTable t =
                            FeatureTable.csv(data, subject, label, positive, Set.of(), Set.of())
                                    .select(m.features());
                    Metrics x = Metrics.of(t.y(), m.probabilities(t.x()), 0.5);
                    System.out.printf(
                            Locale.ROOT,
                            "v%d on %s: accuracy %.3f, balanced accuracy %.3f, F1 %.3f, ROC AUC %.3f%n",
                            v,
                            data.getFileName(),
                            x.accuracy(),
                            x.balancedAccuracy(),
                            x.f1(),
                            x.auc());
                }
            }
            return 0;
        }
    }

    static String headline(ModelRegistry.Version v) {
        try {
            JsonNode m = Json.MAPPER.readTree(v.metricsJson());
            for (JsonNode s : m.at("/held_out/scorers")) {
                if (s.path("name").asText().equals(v.kind())) {
                    return String.format(
                            Locale.ROOT,
                            "AUC %.3f held out (rule %.3f)",
                            s.path("roc_auc").asDouble(),
                            m.at("/held_out/scorers/0/roc_auc").asDouble());
                }
            }
            for (JsonNode model : m.path("models")) {
                if (model.path("model").asText().equals(v.kind())) {
                    return String.format(
                            Locale.ROOT,
                            "%.3f (balanced %.3f, AUC %.3f)",
                            model.path("mean_accuracy_over_subjects").asDouble(),
                            model.path("mean_balanced_accuracy_over_subjects").asDouble(),
                            model.at("/pooled/roc_auc").asDouble());
                }
            }
        } catch (Exception e) {
            // figures not in the report format: show none
        }
        return "-";
    }
}

package io.chakrai.lab.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.lab.ml.Metrics;
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

/** {@code chakrai models list|promote|rollback|compare}: the model registry from the command line. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "The model registry: list, promote, roll back, compare.",
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class,
                ModelsCommand.Compare.class})
public final class ModelsCommand implements Runnable {
    @Option(names = "--db-url", defaultValue = "${env:CHAKRAI_DB_URL:-jdbc:postgresql://localhost:5432/chakrai}", scope = CommandLine.ScopeType.INHERIT)
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:CHAKRAI_DB_USER:-postgres}", scope = CommandLine.ScopeType.INHERIT)
    String dbUser;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    ModelRegistry registry() {
        return new ModelRegistry(DatabaseOptions.dataSource(dbUrl, dbUser));
    }

    @Command(name = "list", description = "Every version of a model, with its stage and headline figures.")
    static final class ListVersions implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0", description = "model name, e.g. stress_wesad_wrist")
        String name;

        @Override
        public Integer call() throws Exception {
            System.out.printf("%-8s %-11s %-20s %-26s %-10s %s%n", "version", "stage", "kind", "created", "by", "accuracy (LOSO)");
            for (ModelRegistry.Version v : parent.registry().list(name)) {
                System.out.printf(Locale.ROOT, "%-8d %-11s %-20s %-26s %-10s %s%n", v.version(), v.stage(), v.kind(),
                        v.createdAt(), v.createdBy(), headline(v));
            }
            return 0;
        }
    }

    @Command(name = "promote", description = "Make a version the production one (the previous one is archived).")
    static final class Promote implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        int version;

        @Override
        public Integer call() throws Exception {
            parent.registry().promote(name, version);
            System.out.printf("%s v%d is now in production%n", name, version);
            return 0;
        }
    }

    @Command(name = "rollback", description = "Put back the version that was in production before.")
    static final class Rollback implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Override
        public Integer call() throws Exception {
            System.out.printf("%s v%d is in production again%n", name, parent.registry().rollback(name));
            return 0;
        }
    }

    @Command(name = "compare", description = "Two versions side by side: their training figures and, given a labelled "
            + "table neither was trained on, both scored on the same rows.")
    static final class Compare implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0")
        String name;

        @Parameters(index = "1")
        int a;

        @Parameters(index = "2")
        int b;

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
            for (ModelRegistry.Version v : r.list(name)) {
                if (v.version() == a || v.version() == b) {
                    System.out.printf("v%d  %-11s %-20s trained on %s…  %s%n", v.version(), v.stage(), v.kind(),
                            v.dataSha256().substring(0, 12), headline(v));
                }
            }
            if (data != null) {
                for (int v : new int[] {a, b}) {
                    TrainedModel m = r.load(name, v);
                    FeatureTable t = FeatureTable.csv(data, subject, label, positive, Set.of(), Set.of()).select(m.features());
                    Metrics x = Metrics.of(t.y(), m.probabilities(t.x()), 0.5);
                    System.out.printf(Locale.ROOT, "v%d on %s: accuracy %.3f, balanced accuracy %.3f, F1 %.3f, ROC AUC %.3f%n",
                            v, data.getFileName(), x.accuracy(), x.balancedAccuracy(), x.f1(), x.auc());
                }
            }
            return 0;
        }
    }

    static String headline(ModelRegistry.Version v) {
        try {
            JsonNode m = new ObjectMapper().readTree(v.metricsJson());
            for (JsonNode model : m.path("models")) {
                if (model.path("model").asText().equals(v.kind())) {
                    return String.format(Locale.ROOT, "%.3f (balanced %.3f, AUC %.3f)",
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

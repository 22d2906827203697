package io.chakrai.models.ml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A labelled feature table: one row per window, its subject, its binary label, and numeric
 * features.
 *
 * @param features column names, in the order of each row's values
 * @param x feature values
 * @param y labels, 1 = stress
 * @param subjects subject id of each row (splits never put one person in both train and test)
 * @param dataHash SHA-256 of the source bytes, recorded with every model trained on it
 */
public record FeatureTable(
        List<String> features, double[][] x, int[] y, String[] subjects, String dataHash) {

    /** Columns that must never be features (they leak the label), whatever the caller asks for. */
    public static final Predicate<String> NEVER = c -> c.startsWith("cort_");

    /**
     * Loads a CSV with a header. {@code label} is the 0/1 column (or a multi-class column mapped by
     * {@code positive}); {@code exclude} are non-feature columns; rows whose label is in {@code
     * drop} are left out.
     */
    public static FeatureTable csv(
            Path file,
            String subject,
            String label,
            Set<String> positive,
            Set<String> drop,
            Set<String> exclude)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines =
                new String(bytes, StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> !l.isBlank())
                        .toList();
        String[] header = lines.get(0).split(",");
        int si = Arrays.asList(header).indexOf(subject);
        int li = Arrays.asList(header).indexOf(label);
        if (si < 0 || li < 0) {
            throw new IllegalArgumentException(
                    file + " has no column " + (si < 0 ? subject : label));
        }
        List<Integer> cols = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            if (i != si && i != li && !exclude.contains(header[i]) && !NEVER.test(header[i])) {
                cols.add(i);
                names.add(header[i]);
            }
        }
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        List<String> ss = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String lab = f[li].trim();
            if (drop.contains(lab)) {
                continue;
            }
            double[] row = new double[cols.size()];
            for (int j = 0; j < cols.size(); j++) {
                String v = f[cols.get(j)].trim();
                row[j] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            }
            xs.add(row);
            ys.add(positive.contains(lab) ? 1 : 0);
            ss.add(f[si].trim());
        }
        return new FeatureTable(
                List.copyOf(names),
                xs.toArray(double[][]::new),
                ys.stream().mapToInt(Integer::intValue).toArray(),
                ss.toArray(String[]::new),
                sha256(bytes));
    }

    /**
     * Runs a query and reads its rows as a table: {@code subject} and {@code label} as above, every
     * other column a numeric feature (SQL NULL = missing) unless in {@code exclude}; {@code cort_*}
     * never. The data hash is over the rows as read (with the column names), so the same query on
     * changed data hashes differently.
     */
    public static FeatureTable query(
            Connection c,
            String sql,
            String subject,
            String label,
            Set<String> positive,
            Set<String> exclude)
            throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.add(md.getColumnLabel(i));
            }
            int si = header.indexOf(subject);
            int li = header.indexOf(label);
            if (si < 0 || li < 0) {
                throw new IllegalArgumentException(
                        "the query returns no column " + (si < 0 ? subject : label));
            }
            List<Integer> cols = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (i != si
                        && i != li
                        && !exclude.contains(header.get(i))
                        && !NEVER.test(header.get(i))) {
                    cols.add(i);
                    names.add(header.get(i));
                }
            }
            StringBuilder canonical = new StringBuilder(String.join(",", header)).append('\n');
            List<double[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            List<String> ss = new ArrayList<>();
            while (rs.next()) {
                double[] row = new double[cols.size()];
                for (int j = 0; j < cols.size(); j++) {
                    double v = rs.getDouble(cols.get(j) + 1);
                    row[j] = rs.wasNull() ? Double.NaN : v;
                }
                String lab = rs.getString(li + 1);
                xs.add(row);
                ys.add(positive.contains(lab) ? 1 : 0);
                ss.add(rs.getString(si + 1));
                canonical
                        .append(rs.getString(si + 1))
                        .append(',')
                        .append(lab)
                        .append(',')
                        .append(Arrays.toString(row))
                        .append('\n');
            }
            return new FeatureTable(
                    List.copyOf(names),
                    xs.toArray(double[][]::new),
                    ys.stream().mapToInt(Integer::intValue).toArray(),
                    ss.toArray(String[]::new),
                    sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }

    public FeatureTable select(List<String> keep) {
        int[] idx = keep.stream().mapToInt(features::indexOf).toArray();
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0) {
                throw new IllegalArgumentException("no feature " + keep.get(k));
            }
        }
        double[][] nx =
                Arrays.stream(x)
                        .map(r -> Arrays.stream(idx).mapToDouble(i -> r[i]).toArray())
                        .toArray(double[][]::new);
        return new FeatureTable(List.copyOf(keep), nx, y, subjects, dataHash);
    }

    /** Rows of the given subjects (or all others when {@code except}). */
    public FeatureTable rows(Set<String> which, boolean except) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < subjects.length; i++) {
            if (which.contains(subjects[i]) != except) {
                keep.add(i);
            }
        }
        return new FeatureTable(
                features,
                keep.stream().map(i -> x[i]).toArray(double[][]::new),
                keep.stream().mapToInt(i -> y[i]).toArray(),
                keep.stream().map(i -> subjects[i]).toArray(String[]::new),
                dataHash);
    }

    /**
     * Every feature z-scored within each person (mean and SD over that person's rows, NaN left
     * alone, a constant feature becomes 0): the person's own distribution stands in for a personal
     * baseline. It uses no labels, but it does use all of a person's rows, the evaluated person's
     * included.
     */
    public FeatureTable standardisedPerSubject() {
        double[][] nx = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            nx[i] = x[i].clone();
        }
        for (String s : subjectIds()) {
            List<Integer> rowsOf = new ArrayList<>();
            for (int i = 0; i < subjects.length; i++) {
                if (subjects[i].equals(s)) {
                    rowsOf.add(i);
                }
            }
            for (int j = 0; j < features.size(); j++) {
                final int col = j;
                double[] v =
                        rowsOf.stream()
                                .mapToDouble(i -> x[i][col])
                                .filter(Double::isFinite)
                                .toArray();
                double mean = Arrays.stream(v).average().orElse(0);
                double sd =
                        Math.sqrt(
                                Arrays.stream(v)
                                        .map(a -> (a - mean) * (a - mean))
                                        .average()
                                        .orElse(0));
                for (int i : rowsOf) {
                    nx[i][j] =
                            Double.isFinite(x[i][j])
                                    ? (sd > 0 ? (x[i][j] - mean) / sd : 0)
                                    : x[i][j];
                }
            }
        }
        return new FeatureTable(features, nx, y, subjects, dataHash + "+per-subject-z");
    }

    /**
     * Every feature z-scored within each person against only what that person showed up to that
     * row, rows taken in the order of {@code orderColumn} (which is then dropped): a personal
     * baseline as a wearable would know it at the time ({@link RunningStandardiser}, the same code
     * the scoring job runs).
     */
    public FeatureTable standardisedPerSubjectInTimeOrder(String orderColumn) {
        return standardisedPerSubjectInTimeOrder(orderColumn, 0);
    }

    /**
     * The same, each person's statistics learnt from their first {@code limit} rows only (0: all
     * earlier rows).
     */
    public FeatureTable standardisedPerSubjectInTimeOrder(String orderColumn, long limit) {
        int oc = features.indexOf(orderColumn);
        if (oc < 0) {
            throw new IllegalArgumentException("no column " + orderColumn);
        }
        List<String> kept = new ArrayList<>(features);
        kept.remove(oc);
        double[][] nx = new double[x.length][];
        for (String s : subjectIds()) {
            List<Integer> rowsOf = new ArrayList<>();
            for (int i = 0; i < subjects.length; i++) {
                if (subjects[i].equals(s)) {
                    rowsOf.add(i);
                }
            }
            rowsOf.sort(Comparator.comparingDouble(i -> x[i][oc]));
            RunningStandardiser person = new RunningStandardiser(kept.size(), limit);
            for (int i : rowsOf) {
                double[] row = new double[kept.size()];
                for (int j = 0, k = 0; j < features.size(); j++) {
                    if (j != oc) {
                        row[k++] = x[i][j];
                    }
                }
                nx[i] = person.addAndStandardise(row);
            }
        }
        return new FeatureTable(
                List.copyOf(kept),
                nx,
                y,
                subjects,
                dataHash + "+per-subject-running-z" + (limit > 0 ? "-first-" + limit : ""));
    }

    public List<String> subjectIds() {
        return Arrays.stream(subjects).distinct().sorted().toList();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

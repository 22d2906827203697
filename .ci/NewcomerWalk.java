import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a newcomer checks once the README's command says the system is running: /health up with every job up
 * (RUNNING and checkpointing), a reading posted through the API found in PostgreSQL, the dashboard's page and
 * script served. Run by .ci/newcomer with the JDK alone: java .ci/NewcomerWalk.java API_URL JDBC_URL [JOB ...]
 * (the PostgreSQL driver from the launcher's lib/ on the class path). Exits non-zero, saying why, on the first
 * thing that is not so.
 */
public class NewcomerWalk {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String jdbc = args[1];
        String[] jobs = java.util.Arrays.copyOfRange(args, 2, args.length);

        // every part up: PostgreSQL, Kafka, each job RUNNING with recent checkpoints, the CDC slot
        String health = waitFor(api + "/health", 200, Duration.ofMinutes(3));
        for (String job : jobs) {
            check(health.contains("\"job " + job + "\":\"up\""), "/health does not say job " + job + " is up: " + health);
        }
        System.out.println("health: " + health);

        String email = "newcomer-" + System.currentTimeMillis() + "@example.org";
        String password = "a long newcomer password";
        post(api + "/api/v2/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", 201);
        String token = field(post(api + "/api/v2/auth/token", null, "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\"}", 200), "access_token");
        String device = field(post(api + "/api/v2/biometric/devices", token, "{\"device_type\":\"oura\",\"device_id\":\"RING-"
                + System.nanoTime() + "\",\"data_types\":[\"heart_rate\"]}", 201), "id");
        Instant at = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        post(api + "/api/v2/biometric/readings", token, "[{\"device_id\":" + device + ",\"data_type\":\"heart_rate\",\"value\":"
                + "64.5,\"timestamp\":\"" + at + "\"}]", 202);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        boolean stored = false;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            while (!stored && System.nanoTime() < deadline) {
                try (PreparedStatement ps = c.prepareStatement("SELECT value FROM biometric_readings WHERE device_id = ? "
                        + "AND data_type = 'heart_rate' AND \"timestamp\" = ?")) {
                    ps.setInt(1, Integer.parseInt(device));
                    ps.setTimestamp(2, java.sql.Timestamp.from(at));
                    try (ResultSet rs = ps.executeQuery()) {
                        stored = rs.next() && rs.getDouble(1) == 64.5;
                    }
                }
                if (!stored) {
                    Thread.sleep(500);
                }
            }
        }
        check(stored, "the reading posted at " + at + " is not in PostgreSQL after 2 minutes");
        System.out.println("a reading posted through the API is in PostgreSQL");

        String page = get(api + "/dashboard", 200);
        check(page.contains("dashboard.js"), "the dashboard page does not load its script");
        check(get(api + "/dashboard.js", 200).length() > 1_000, "the dashboard's script is empty");
        System.out.println("the dashboard loads");
    }

    static String waitFor(String url, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == status) {
                    return r.body();
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(1_000);
        }
        throw fail(url + " did not answer " + status + " within " + within + ": " + last);
    }

    static String get(String url, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        check(r.statusCode() == status, "GET " + url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static String post(String url, String token, String body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        check(r.statusCode() == status, "POST " + url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        check(m.find(), "no " + name + " in " + json);
        return m.group(1);
    }

    static void check(boolean ok, String why) {
        if (!ok) {
            throw fail(why);
        }
    }

    static IllegalStateException fail(String why) {
        System.err.println("NEWCOMER WALK FAILED: " + why);
        System.exit(1);
        return new IllegalStateException(why);
    }
}

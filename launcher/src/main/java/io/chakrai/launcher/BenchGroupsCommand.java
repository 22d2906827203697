package io.chakrai.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chakrai.api.auth.TokenService;
import io.chakrai.lab.bench.BenchResults;
import io.chakrai.lab.client.DatabaseOptions;
import io.chakrai.models.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-groups}: N therapy groups of six members, each member a real WebSocket, each posting
 * {@code group_message} events at a human rate; measures the send → receive latency at every other
 * member (through storage, sentiment, crisis screening and fan-out, across API instances when
 * several are given), messages per second, and the API's heap per socket. The members, groups and
 * sign-in sessions are made directly in PostgreSQL (thousands of password hashes would take longer
 * than the run); everything measured goes through the public WebSocket.
 */
@Command(
        name = "bench-groups",
        mixinStandardHelpOptions = true,
        description =
                "Group chat fan-out over real WebSockets: latency at every other member, messages/s, memory per socket.")
public final class BenchGroupsCommand implements java.util.concurrent.Callable<Integer> {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern MARK = Pattern.compile("#(\\d+):(\\d+)#");
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    static final Map<String, Integer> ERROR_CODES = new java.util.concurrent.ConcurrentHashMap<>();
    static final String[] LINES = {
        "Had a better day today, the breathing exercise helped",
        "Thanks everyone, this means a lot",
        "Work was busy but I managed",
        "Some ups and downs this week",
        "I feel so tired and low",
        "Trying the journaling tip tonight",
        "Does anyone have tips for Sunday evening worries?",
        "Small win: I called my sister"
    };

    @Option(
            names = "--api",
            split = ",",
            defaultValue = "http://localhost:7070",
            description =
                    "API instance(s); a group's members are spread over them (default: ${DEFAULT-VALUE})")
    List<String> apis;

    @Option(
            names = "--groups",
            defaultValue = "1000",
            description = "groups of six (default: ${DEFAULT-VALUE})")
    int groups;

    @Option(
            names = "--per-minute",
            defaultValue = "2",
            description = "messages per member per minute (default: ${DEFAULT-VALUE})")
    double perMinute;

    @Option(
            names = "--duration-s",
            defaultValue = "60",
            description = "measured time after every socket is open (default: ${DEFAULT-VALUE})")
    int durationSeconds;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:CHAKRAI_DATA_DIR:-.chakrai}",
            description = "the stack's data directory (its JWT secret)")
    Path dataDir;

    @Option(
            names = "--api-pid",
            description =
                    "the API's process id, when it runs on this machine: its heap is measured after a "
                            + "full collection (jcmd GC.run) and its resident memory from /proc, before and after the sockets open")
    Long apiPid;

    @Option(
            names = "--start-at",
            description =
                    "an instant (ISO-8601, e.g. 2026-12-06T18:40:00Z) to start sending at, after the setup "
                            + "settled: several clients (a process holds at most ~20,000 sockets) then measure "
                            + "the same minute")
    java.time.Instant startAt;

    @Option(
            names = "--alongside",
            description =
                    "what else loads the stack meanwhile (--alongside bench: ./chakrai bench at full rate), recorded"
                            + " with the settings so these runs are compared only with their like")
    String alongside;

    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Mixin BenchResults.Option results = new BenchResults.Option();

    record Member(int index, int group, int userId, String token, String api, WebSocket[] socket) {}

    @Override
    public Integer call() throws Exception {
        int people = groups * 6;
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf(
                Locale.ROOT, "setting up %d groups, %d members (run %s)%n", groups, people, run);
        List<Member> members = setUp(run, people);
        long heapBefore = heap(apis.get(0));
        long rssBefore = rss();

        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong received = new AtomicLong();
        AtomicLong acks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        // one selector thread per HttpClient: spread the sockets over several, as many phones would
        // be
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
        }
        Semaphore opening = new Semaphore(200);
        long connectStart = System.nanoTime();
        List<CompletableFuture<WebSocket>> opened = new ArrayList<>();
        for (Member m : members) {
            opening.acquire();
            CompletableFuture<WebSocket> f =
                    clients.get(m.index() % clients.size())
                            .newWebSocketBuilder()
                            .connectTimeout(Duration.ofSeconds(30))
                            .buildAsync(
                                    URI.create(
                                            m.api().replace("http", "ws")
                                                    + "/api/v2/ws?token="
                                                    + m.token()),
                                    listener(m, latencies, received, acks, errors, measuring));
            f.whenComplete((ws, e) -> opening.release());
            opened.add(f);
            if (opened.size() % 1000 == 0) {
                System.out.printf(Locale.ROOT, "  %d sockets opening%n", opened.size());
            }
        }
        for (int i = 0; i < members.size(); i++) {
            members.get(i).socket()[0] = opened.get(i).get(60, TimeUnit.SECONDS);
        }
        double connectS = (System.nanoTime() - connectStart) / 1e9;
        System.out.printf(Locale.ROOT, "%d sockets open in %.1f s%n", members.size(), connectS);
        long heapAfter = heap(apis.get(0));
        long rssAfter = rss();
        quiesce();
        if (startAt != null) {
            long waitMs = java.time.Duration.between(java.time.Instant.now(), startAt).toMillis();
            if (waitMs < 0) {
                System.out.printf(
                        Locale.ROOT,
                        "  --start-at %s passed %.1f s ago: the clients' minutes do not coincide%n",
                        startAt,
                        -waitMs / 1e3);
            } else {
                System.out.printf(
                        Locale.ROOT, "  sending at %s (in %.1f s)%n", startAt, waitMs / 1e3);
                Thread.sleep(waitMs);
            }
        }

        ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
        Random random = new Random(1);
        long periodMs = Math.max(1, Math.round(60_000 / perMinute));
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        measuring.set(start + TimeUnit.SECONDS.toNanos(5)); // the first 5 s warm up
        double[] cpuBefore = {ownCpuSeconds(), apiCpuSeconds(), machineBusySeconds()};
        for (Member m : members) {
            // each member starts at a line of their own: in step, every member said the same line
            // in the same period,
            // and the lines that need the crisis classifier (an embedding each) came all at once,
            // then none
            AtomicLong seq = new AtomicLong(random.nextInt(LINES.length));
            senders.scheduleAtFixedRate(
                    () -> {
                        String text =
                                LINES[(int) (seq.get() % LINES.length)]
                                        + " #"
                                        + m.index()
                                        + ":"
                                        + System.nanoTime()
                                        + "#";
                        seq.incrementAndGet();
                        String event =
                                JSON.createObjectNode()
                                        .put("type", "group_message")
                                        .put("groupId", m.group())
                                        .put("message", text)
                                        .put("messageType", "text")
                                        .toString();
                        try {
                            m.socket()[0].sendText(event, true).get(10, TimeUnit.SECONDS);
                            sent.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            Throwable cause = e.getCause() == null ? e : e.getCause();
                            ERROR_CODES.merge(
                                    "send: " + cause.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    },
                    random.nextInt((int) periodMs),
                    periodMs,
                    TimeUnit.MILLISECONDS);
        }
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds + 5);
        int seen = 0;
        double[] lastCpu = {machineBusySeconds(), apiCpuSeconds()};
        double[] lastEmbed = embeddings(apis.get(0));
        while (System.nanoTime() < end) {
            Thread.sleep(5_000);
            double[] cpu = {machineBusySeconds(), apiCpuSeconds()};
            double[] embed = embeddings(apis.get(0));
            // this interval's latencies, so a stall shows when it happened
            long[] recent = latencies.stream().skip(seen).mapToLong(x -> x[0]).sorted().toArray();
            seen += recent.length;
            System.out.printf(
                    Locale.ROOT,
                    "  %5.0f s: %d sent, %d delivered, %d acks, %d errors; latency p50 %.1f, p99 %.1f, max %.1f ms; "
                            + "cores: machine %.2f, API %.2f; sentences embedded %.0f/s, each %.1f ms + %.1f ms waiting%n",
                    (System.nanoTime() - start) / 1e9,
                    sent.get(),
                    received.get(),
                    acks.get(),
                    errors.get(),
                    percentile(recent, 0.5),
                    percentile(recent, 0.99),
                    recent.length == 0 ? Double.NaN : recent[recent.length - 1] / 1e6,
                    (cpu[0] - lastCpu[0]) / 5,
                    (cpu[1] - lastCpu[1]) / 5,
                    (embed[0] - lastEmbed[0]) / 5,
                    1000 * (embed[1] - lastEmbed[1]) / (embed[0] - lastEmbed[0]),
                    1000 * (embed[2] - lastEmbed[2]) / (embed[0] - lastEmbed[0]));
            lastCpu = cpu;
            lastEmbed = embed;
        }
        long sentTotal = sent.get();
        double wall = (System.nanoTime() - start) / 1e9;
        double ownCores = (ownCpuSeconds() - cpuBefore[0]) / wall;
        double apiCores = (apiCpuSeconds() - cpuBefore[1]) / wall;
        double machineCores = (machineBusySeconds() - cpuBefore[2]) / wall;
        senders.shutdownNow();
        Thread.sleep(3_000); // what is in flight arrives
        for (Member m : members) {
            m.socket()[0].abort();
        }

        long[] lat = latencies.stream().mapToLong(x -> x[0]).sorted().toArray();
        double seconds = durationSeconds;
        double p50 = percentile(lat, 0.50);
        double p99 = percentile(lat, 0.99);
        double max = lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6;
        double deliveredPerS = received.get() / (seconds + 5);
        double sentPerS = sentTotal / (seconds + 5);
        double perSocketKb = (heapAfter - heapBefore) / 1024.0 / members.size();
        double[] server = serverPost(apis.get(0));
        double rssPerSocketKb =
                apiPid == null ? Double.NaN : (rssAfter - rssBefore) / 1024.0 / members.size();
        System.out.printf(
                Locale.ROOT,
                "%n%d groups, %d sockets over %d API instance(s), %.1f messages/min per member, %d s%n",
                groups,
                members.size(),
                apis.size(),
                perMinute,
                durationSeconds);
        System.out.printf(
                Locale.ROOT,
                "  send → receive at every other member: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d deliveries measured)%n",
                p50,
                p99,
                max,
                lat.length);
        System.out.printf(
                Locale.ROOT,
                "  in the API (arrival → stored → pushed to its sockets): p50 %.1f ms, p99 %.1f ms%n",
                server[0],
                server[1]);
        Map<String, double[]> stages = stages(apis.get(0));
        stages.forEach(
                (stage, q) ->
                        System.out.printf(
                                Locale.ROOT,
                                "    stage %-12s p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms%n",
                                stage,
                                q[0],
                                q[1],
                                q[2]));
        System.out.printf(
                Locale.ROOT,
                "  messages sent %.1f/s, deliveries %.1f/s; acks %d, errors %d %s%n",
                sentPerS,
                deliveredPerS,
                acks.get(),
                errors.get(),
                ERROR_CODES);
        System.out.printf(
                Locale.ROOT,
                "  CPU while sending (cores of %d): machine %.2f, this load generator %.2f, process --api-pid %s%n",
                Runtime.getRuntime().availableProcessors(),
                machineCores,
                ownCores,
                apiPid == null
                        ? "? (give --api-pid)"
                        : String.format(Locale.ROOT, "%.2f", apiCores));
        System.out.printf(
                Locale.ROOT,
                "  API memory per socket: heap %.1f KB (%d → %d MB%s), resident %.1f KB%n",
                perSocketKb,
                heapBefore >> 20,
                heapAfter >> 20,
                apiPid == null ? ", between collections: rough; give --api-pid" : " after full GCs",
                rssPerSocketKb);
        results.append(
                "bench-groups",
                BenchResults.kv(
                        "groups",
                        groups,
                        "sockets",
                        members.size(),
                        "api_instances",
                        apis.size(),
                        "per_minute",
                        perMinute,
                        "duration_s",
                        durationSeconds,
                        "alongside",
                        alongside),
                BenchResults.kv(
                        "p50_ms",
                        p50,
                        "p99_ms",
                        p99,
                        "max_ms",
                        max,
                        "api_p50_ms",
                        server[0],
                        "api_p99_ms",
                        server[1],
                        "sent_per_s",
                        sentPerS,
                        "delivered_per_s",
                        deliveredPerS,
                        "errors",
                        errors.get(),
                        "heap_kb_per_socket",
                        perSocketKb,
                        "rss_kb_per_socket",
                        rssPerSocketKb,
                        "connect_s",
                        connectS,
                        "machine_cores",
                        machineCores,
                        "generator_cores",
                        ownCores,
                        "api_cores",
                        apiPid == null ? Double.NaN : apiCores));
        cleanUp(run);
        return 0;
    }

    private WebSocket.Listener listener(
            Member me,
            ConcurrentLinkedQueue<long[]> latencies,
            AtomicLong received,
            AtomicLong acks,
            AtomicLong errors,
            AtomicLong measuring) {
        StringBuilder partial = new StringBuilder();
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    long now = System.nanoTime();
                    String text = partial.toString();
                    partial.setLength(0);
                    if (text.contains("\"group_message\"")) {
                        Matcher mk = MARK.matcher(text);
                        if (mk.find() && Integer.parseInt(mk.group(1)) != me.index()) {
                            received.incrementAndGet();
                            long sentAt = Long.parseLong(mk.group(2));
                            if (sentAt >= measuring.get()) {
                                latencies.add(new long[] {now - sentAt});
                            }
                        }
                    } else if (text.contains("group_message_ack")) {
                        acks.incrementAndGet();
                    } else if (text.contains("\"error\"")) {
                        errors.incrementAndGet();
                        Matcher code = ERROR_CODE.matcher(text);
                        ERROR_CODES.merge(code.find() ? code.group(1) : "?", 1, Integer::sum);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                ERROR_CODES.merge("closed " + status + " " + reason, 1, Integer::sum);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                ERROR_CODES.merge(
                        "socket error: " + error.getClass().getSimpleName(), 1, Integer::sum);
            }
        };
    }

    /**
     * Users, groups of six with pseudonyms, and sign-in sessions, straight into PostgreSQL; tokens
     * signed here.
     */
    private List<Member> setUp(String run, int people) throws Exception {
        Secrets secrets = Secrets.loadOrCreate(dataDir.toAbsolutePath());
        TokenService tokens =
                new TokenService(secrets.jwtSecret(), Duration.ofHours(2), Clock.systemUTC());
        List<Member> out = new ArrayList<>(people);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            int[] users = new int[people];
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO users (email, password_hash, display_name) "
                                    + "SELECT 'bench-' || ? || '-' || n || '@bench.local', 'not-a-password', 'bench' FROM generate_series(1, ?) n RETURNING id")) {
                ps.setString(1, run);
                ps.setInt(2, people);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; rs.next(); i++) {
                        users[i] = rs.getInt(1);
                    }
                }
            }
            Arrays.sort(users);
            int[] groupIds = new int[groups];
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO therapy_groups (group_key, session_type, status, current_participants, "
                                    + "therapeutic_goals) SELECT 'bench-' || ? || '-' || n, 'general_support', 'active', 6, ARRAY['benchmark'] "
                                    + "FROM generate_series(1, ?) n RETURNING id")) {
                ps.setString(1, run);
                ps.setInt(2, groups);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; rs.next(); i++) {
                        groupIds[i] = rs.getInt(1);
                    }
                }
            }
            Arrays.sort(groupIds);
            Instant now = Instant.now();
            try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO group_participants (group_id, user_id, anonymous_id) VALUES (?, ?, ?)");
                    PreparedStatement s =
                            c.prepareStatement(
                                    "INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at) "
                                            + "VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < people; i++) {
                    int group = groupIds[i / 6];
                    p.setInt(1, group);
                    p.setInt(2, users[i]);
                    p.setString(3, "Bench Member " + (i % 6 + 1));
                    p.addBatch();
                    UUID session = UUID.randomUUID();
                    s.setObject(1, session);
                    s.setInt(2, users[i]);
                    s.setTimestamp(3, Timestamp.from(now));
                    s.setTimestamp(4, Timestamp.from(now));
                    s.setTimestamp(5, Timestamp.from(now.plus(Duration.ofHours(2))));
                    s.addBatch();
                    out.add(
                            new Member(
                                    i,
                                    group,
                                    users[i],
                                    tokens.issue(users[i], session),
                                    apis.get(i % apis.size()),
                                    new WebSocket[1]));
                }
                p.executeBatch();
                s.executeBatch();
            }
            c.commit();
        }
        return out;
    }

    /** The bench's rows go again: their messages, memberships, groups, sessions and users. */
    private void cleanUp(String run) throws InterruptedException {
        // the group job may still be writing a window of these groups: try again after it
        for (int attempt = 1; attempt <= 5; attempt++) {
            if (tryCleanUp(run, attempt == 5)) {
                return;
            }
            Thread.sleep(3_000);
        }
    }

    private boolean tryCleanUp(String run, boolean last) {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            String groupsOf =
                    "(SELECT id FROM therapy_groups WHERE group_key LIKE 'bench-" + run + "-%')";
            s.execute("DELETE FROM crisis_escalations WHERE group_id IN " + groupsOf);
            s.execute("DELETE FROM group_messages WHERE group_id IN " + groupsOf);
            s.execute("DELETE FROM group_mood WHERE group_id IN " + groupsOf);
            s.execute("DELETE FROM group_participants WHERE group_id IN " + groupsOf);
            s.execute("DELETE FROM therapy_groups WHERE id IN " + groupsOf);
            String usersOf =
                    "(SELECT id FROM users WHERE email LIKE 'bench-" + run + "-%@bench.local')";
            s.execute("DELETE FROM auth_sessions WHERE user_id IN " + usersOf);
            s.execute("DELETE FROM users WHERE id IN " + usersOf);
            return true;
        } catch (Exception e) {
            if (last) {
                System.err.println(
                        "could not remove the benchmark's rows (run "
                                + run
                                + "): "
                                + e.getMessage());
            }
            return false;
        }
    }

    /**
     * Waits until the stack has digested this benchmark's own setup — thousands of members written
     * straight to PostgreSQL come back through the change stream to every API instance and the
     * group job, a burst no user makes — so what is measured is chat: the API process (without
     * --api-pid, the machine) under one core in two 5 s windows running, at most two minutes.
     */
    void quiesce() throws InterruptedException {
        waitUntilQuiet(
                apiPid != null ? this::apiCpuSeconds : BenchGroupsCommand::machineBusySeconds,
                1.0,
                2,
                5,
                Duration.ofMinutes(2),
                apiPid != null ? "the setup settling: API" : "the setup settling: machine");
    }

    /**
     * Waits until {@code cpuSeconds} grows by less than {@code underCores} a second in {@code
     * windows} windows of {@code windowSeconds} running, printing each window's share after {@code
     * label}; false when {@code atMost} passed first. A share that cannot be read (NaN: the process
     * gone) is not quiet.
     */
    static boolean waitUntilQuiet(
            DoubleSupplier cpuSeconds,
            double underCores,
            int windows,
            int windowSeconds,
            Duration atMost,
            String label)
            throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        int quiet = 0;
        while (System.nanoTime() < end) {
            double a = cpuSeconds.getAsDouble();
            Thread.sleep(windowSeconds * 1000L);
            double cores = (cpuSeconds.getAsDouble() - a) / windowSeconds;
            System.out.printf(Locale.ROOT, "  %s %.2f cores%n", label, cores);
            quiet = cores < underCores ? quiet + 1 : 0;
            if (quiet == windows) {
                return true;
            }
        }
        return false;
    }

    /** CPU time this process has used, in seconds. */
    static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    /** CPU time the API process has used, in seconds; NaN when its id is not known. */
    double apiCpuSeconds() {
        return apiPid == null ? Double.NaN : processCpuSeconds(apiPid);
    }

    /**
     * CPU time a process has used (user + system, from /proc), in seconds; NaN when it cannot be
     * read.
     */
    static double processCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Busy CPU time of the whole machine (/proc/stat: all but idle and iowait), in seconds; NaN off
     * Linux.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / (double) CLOCK_TICKS;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** USER_HZ: /proc counts CPU time in these ticks, 100 on every Linux we run on. */
    private static final int CLOCK_TICKS = 100;

    /** The API's resident memory (kB → bytes), when its process id is known. */
    long rss() {
        if (apiPid == null) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", apiPid.toString(), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read the API's memory: " + e.getMessage());
        }
        return 0;
    }

    /**
     * The API's heap in use (Prometheus /metrics: jvm_memory_used_bytes, area heap), after a full
     * collection when possible.
     */
    long heap(String api) {
        if (apiPid != null) {
            try {
                new ProcessBuilder("jcmd", apiPid.toString(), "GC.run")
                        .redirectErrorStream(true)
                        .start()
                        .waitFor(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("jcmd GC.run failed: " + e.getMessage());
            }
        }
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                                    HttpResponse.BodyHandlers.ofString());
            long sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * Each stage of a message in the API (its Prometheus timer chakrai_group_message_stage): p50,
     * p99, p99.9 in ms.
     */
    static Map<String, double[]> stages(String api) {
        Map<String, double[]> out = new TreeMap<>();
        Pattern line = Pattern.compile("^chakrai_group_message_stage_seconds\\{([^}]*)} (\\S+)");
        Pattern quantile = Pattern.compile("quantile=\"([0-9.]+)\"");
        Pattern stage = Pattern.compile("stage=\"(\\w+)\"");
        try {
            String body = metricsText(api);
            for (String l : body.split("\n")) {
                Matcher m = line.matcher(l);
                if (!m.find()) {
                    continue;
                }
                Matcher q = quantile.matcher(m.group(1));
                Matcher s = stage.matcher(m.group(1));
                if (q.find() && s.find()) { // labels in either order
                    int i =
                            switch (q.group(1)) {
                                case "0.5" -> 0;
                                case "0.99" -> 1;
                                default -> 2;
                            };
                    out.computeIfAbsent(
                                            s.group(1),
                                            k -> new double[] {Double.NaN, Double.NaN, Double.NaN})[
                                    i] =
                            Double.parseDouble(m.group(2)) * 1000;
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read the API's stage timers: " + e.getMessage());
        }
        return out;
    }

    /** The API's Prometheus text. */
    static String metricsText(String api) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * The API's sentence embeddings so far: count, seconds running, seconds waiting for a turn (NaN
     * when not exposed).
     */
    static double[] embeddings(String api) {
        double[] out = {Double.NaN, Double.NaN, Double.NaN};
        try {
            String body = metricsText(api);
            for (String l : body.split("\n")) {
                int i =
                        l.startsWith("chakrai_sentence_embeddings_total ")
                                ? 0
                                : l.startsWith(
                                                "chakrai_sentence_embedding_seconds_total{phase=\"run\"}")
                                        ? 1
                                        : l.startsWith(
                                                        "chakrai_sentence_embedding_seconds_total{phase=\"wait\"}")
                                                ? 2
                                                : -1;
                if (i >= 0) {
                    out[i] = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            // the figures stay NaN
        }
        return out;
    }

    /** The API's own p50 and p99 of posting a group message (its Prometheus timer), in ms. */
    static double[] serverPost(String api) {
        double[] out = {Double.NaN, Double.NaN};
        try {
            String body = metricsText(api);
            for (String line : body.split("\n")) {
                if (line.startsWith("chakrai_group_message_post_seconds{quantile=\"0.5\"")) {
                    out[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
                } else if (line.startsWith(
                        "chakrai_group_message_post_seconds{quantile=\"0.99\"")) {
                    out[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read the API's timer: " + e.getMessage());
        }
        return out;
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}

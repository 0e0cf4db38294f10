package com.example.shop.auth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.shop.auth.testing.MotoServer;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Benchmark, not a test: prints figures and writes them to target/bench/*.md; nothing asserts on times. Runs only
 * with {@code ./mvnw -Pbench test} (bench/run.sh). Everything goes to moto through the test resource, as in the
 * other suites; the Lambda path is an HTTP request to the Lambda mock event server, which turns it into an API
 * Gateway v2 event for the handler.
 *
 * <p>
 * Settings: bench/run.sh passes {@code -D%test.auth.password.bcrypt-cost=12} (production cost) as a system
 * property, which outranks application.properties. The figures print the cost actually in effect, read back from a
 * stored hash. Knobs (system properties, passed by bench/run.sh): bench.logins (200), bench.signups (100),
 * bench.concurrency (2), bench.max-seconds per measured block (240), bench.jfr (true: a JFR profile of the login
 * phase in target/bench/*.jfr). Per-route latency against direct AWS calls is measured under the Lambda RIE instead
 * (bench/RouteOverhead.java), where the path is the packaged function's, not the test's mock event server.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthBenchTest {

    private static final Path OUT = Path.of("target/bench");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int LOGINS = Integer.getInteger("bench.logins", 200);
    private static final int SIGNUPS = Integer.getInteger("bench.signups", 100);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 2);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("bench.max-seconds", 240));
    private static final boolean JFR = Boolean.parseBoolean(System.getProperty("bench.jfr", "true"));

    @Inject
    DynamoDbClient dynamo;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    // ---------------------------------------------------------------------------------------------------------
    // 1. login and signup throughput vs raw bcrypt in the same JVM

    @Test
    @Order(1)
    void throughputVsRawBcrypt() throws Exception {
        int cost = ConfigProvider.getConfig().getValue("auth.password.bcrypt-cost", Integer.class);
        List<String[]> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String email = "bench-login-" + i + "-" + RANDOM.nextInt(1_000_000) + "@bench.example.com";
            String password = newPassword();
            require(post("/signup", json("email", email, "password", password, "name", "Bench " + i)), 201, "signup");
            users.add(new String[] { email, password });
        }
        String storedHash = userItem(users.get(0)[0]).get("passwordHash").s();
        String storedCost = storedHash.substring(4, 6);
        String password0 = users.get(0)[1];
        AtomicInteger signupSeq = new AtomicInteger();

        IntPredicate login = i -> {
            String[] user = users.get(i % users.size());
            return post("/login", json("email", user[0], "password", user[1])) == 200;
        };
        IntPredicate verify = i -> BcryptUtil.matches(password0, storedHash);
        IntPredicate signup = i -> post("/signup", json(
                "email", "bench-su-" + signupSeq.incrementAndGet() + "-" + RANDOM.nextInt(1_000_000) + "@bench.example.com",
                "password", newPassword(), "name", "Bench")) == 201;
        IntPredicate hash = i -> BcryptUtil.bcryptHash(newPassword(), cost).startsWith("$2a$");

        // Warm-up (JIT) of both sides, untimed
        runBlock(login, 16, CONCURRENCY);
        runBlock(verify, 16, CONCURRENCY);
        runBlock(signup, 8, CONCURRENCY);
        runBlock(hash, 8, CONCURRENCY);

        Recording recording = startJfr();
        Block logins = interleaved(login, verify, LOGINS, CONCURRENCY);
        Block[] loginPair = { logins, logins.other };
        stopJfr(recording, "login-c" + CONCURRENCY + ".jfr");
        int lambdaThreads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("Lambda Thread")).count();

        Block signups = interleaved(signup, hash, SIGNUPS, CONCURRENCY);
        // the same at concurrency 1: what one Lambda execution environment does (one event at a time)
        Block logins1 = interleaved(login, verify, Math.max(10, LOGINS / 4), 1);

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "| login through the Lambda HTTP path vs `BcryptUtil.matches`, concurrency %d | %s logins/s | %s verifications/s | **%.2f** | ≥ 0.95 | %s |",
                CONCURRENCY, rate(loginPair[0]), rate(loginPair[1]), ratio(loginPair[0], loginPair[1]),
                verdict(ratio(loginPair[0], loginPair[1]) >= 0.95)));
        lines.add(String.format(Locale.ROOT,
                "| signup through the Lambda HTTP path vs `BcryptUtil.bcryptHash`, concurrency %d | %s signups/s | %s hashes/s | **%.2f** | ≥ 0.95 | %s |",
                CONCURRENCY, rate(signups), rate(signups.other), ratio(signups, signups.other),
                verdict(ratio(signups, signups.other) >= 0.95)));
        lines.add(String.format(Locale.ROOT,
                "| (context) login vs `BcryptUtil.matches`, concurrency 1 (one execution environment) | %s logins/s | %s verifications/s | %.2f | | |",
                rate(logins1), rate(logins1.other), ratio(logins1, logins1.other)));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT,
                "- bcrypt cost %d (configured `auth.password.bcrypt-cost=%d`; stored hashes start `$2a$%s$`). Same JVM, same "
                        + "client concurrency, blocks interleaved 4× (Lambda path, raw, Lambda path, raw …) after %d+%d warm-up "
                        + "operations each. Measured: %s; %s; %s.",
                cost, cost, storedCost, 16, 8, logins.describe("logins"), logins.other.describe("verifications"),
                signups.describe("signups") + ", " + signups.other.describe("hashes")));
        notes.add(String.format(Locale.ROOT,
                "- threads polling the Lambda mock event server in this JVM: %d (`Lambda Thread …`): events are handled one at "
                        + "a time, as in one Lambda execution environment%s.",
                lambdaThreads, CONCURRENCY > 1 ? ", so at concurrency " + CONCURRENCY + " the Lambda-path requests queue "
                        + "while the raw bcrypt calls use " + CONCURRENCY + " threads" : ""));
        write("throughput.md", lines, notes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // measurement helpers

    /** Completed operations and elapsed time of one kind, summed over blocks; {@code other} is the baseline. */
    static final class Block {
        int ops;
        int failures;
        long nanos;
        Block other;

        double perSecond() {
            return nanos == 0 ? 0 : ops / (nanos / 1e9);
        }

        String describe(String what) {
            return String.format(Locale.ROOT, "%d %s in %.1f s%s", ops, what, nanos / 1e9,
                    failures == 0 ? "" : " (" + failures + " failed)");
        }

        void add(Block b) {
            ops += b.ops;
            failures += b.failures;
            nanos += b.nanos;
        }
    }

    /** n operations of each kind, in 4 alternating blocks, so that drift (load, GC, moto) hits both alike. */
    private static Block interleaved(IntPredicate ours, IntPredicate baseline, int n, int concurrency) throws Exception {
        Block a = new Block();
        Block b = new Block();
        a.other = b;
        int rounds = 4;
        for (int r = 0; r < rounds; r++) {
            int size = n / rounds + (r < n % rounds ? 1 : 0);
            a.add(runBlock(ours, size, concurrency));
            b.add(runBlock(baseline, size, concurrency));
        }
        return a;
    }

    /** Runs n operations on {@code concurrency} threads, each taking the next one until done or out of time. */
    private static Block runBlock(IntPredicate op, int n, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + MAX_NANOS / 4;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n && System.nanoTime() < deadline) {
                        if (op.test(i)) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Block block = new Block();
        block.nanos = System.nanoTime() - start;
        block.ops = done.get();
        block.failures = failed.get();
        return block;
    }

    private static String rate(Block b) {
        return String.format(Locale.ROOT, "%.2f", b.perSecond());
    }

    private static double ratio(Block a, Block b) {
        return a.perSecond() / b.perSecond();
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private static double median(long[] values) {
        return p(values, 0.5);
    }

    /** Nearest-rank percentile. */
    private static double p(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }

    private static Recording startJfr() throws Exception {
        if (!JFR) {
            return null;
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return recording;
    }

    private static void stopJfr(Recording recording, String name) throws IOException {
        if (recording == null) {
            return;
        }
        Files.createDirectories(OUT);
        recording.stop();
        recording.dump(OUT.resolve(name));
        recording.close();
    }

    private static void write(String file, List<String> lines, List<String> notes) throws IOException {
        Files.createDirectories(OUT);
        List<String> all = new ArrayList<>(lines);
        all.add("");
        all.addAll(notes);
        for (String line : all) {
            System.out.println("BENCH " + line);
        }
        Files.writeString(OUT.resolve(file), String.join("\n", all) + "\n", StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the Lambda HTTP path: plain HTTP to the mock event server (no rest-assured overhead on the client side)

    private int post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private int get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        String base = RestAssured.baseURI == null ? "http://localhost" : RestAssured.baseURI;
        return URI.create(base + ":" + RestAssured.port + path);
    }

    private static void require(int status, int expected, String what) {
        if (status != expected) {
            throw new IllegalStateException(what + " answered " + status + ", expected " + expected);
        }
    }

    private Map<String, AttributeValue> userItem(String email) {
        String table = ConfigProvider.getConfig().getValue("auth.users-table", String.class);
        String owner = dynamo.getItem(b -> b.tableName(table).key(Map.of("userId", AttributeValue.fromS("EMAIL#" + email)))
                .consistentRead(true)).item().get("ownerId").s();
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("userId", AttributeValue.fromS(owner)))
                .consistentRead(true)).item();
    }

    /** A random 24-character password: long enough, never common, never containing the email. */
    private static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return "b" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String... pairs) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
        }
        return out.append('}').toString();
    }
}

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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
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

import com.example.shop.auth.MotoServer;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/**
 * Benchmark, not a test: prints figures and writes them to target/bench/*.md; nothing asserts on times. Runs only
 * with {@code ./mvnw -Pbench test} (bench/run.sh). Everything goes to moto through the test resource, as in the
 * other suites; the Lambda path is an HTTP request to the Lambda mock event server, which turns it into an API
 * Gateway v2 event for the handler.
 *
 * <p>
 * Settings: bench/run.sh passes {@code -D%test.auth.password.bcrypt-cost=12} (production cost) and
 * {@code -D%test.auth.reset.min-response-time=PT0S} as system properties, which outrank application.properties.
 * The figures print the cost actually in effect, read back from a stored hash.
 * Knobs (system properties, passed by bench/run.sh): bench.logins (200), bench.signups (100), bench.resets (200),
 * bench.concurrency (2), bench.max-seconds per measured block (240), bench.jfr (true: a JFR profile of the login and
 * reset phases in target/bench/*.jfr).
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
    private static final int RESETS = Integer.getInteger("bench.resets", 200);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 2);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("bench.max-seconds", 240));
    private static final boolean JFR = Boolean.parseBoolean(System.getProperty("bench.jfr", "true"));

    @Inject
    DynamoDbClient dynamo;

    @Inject
    SesClient ses;

    @Inject
    KmsClient kms;

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
        // what a login does besides bcrypt, made directly: GetItem claim, GetItem user, KMS Sign (all moto)
        String table = ConfigProvider.getConfig().getValue("auth.users-table", String.class);
        String keyId = ConfigProvider.getConfig().getValue("auth.jwt.kms-key-id", String.class);
        long[] calls = new long[50];
        for (int i = 0; i < calls.length; i++) {
            long t0 = System.nanoTime();
            String owner = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("userId", AttributeValue.fromS("EMAIL#" + users.get(0)[0])))).item().get("ownerId").s();
            dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of("userId", AttributeValue.fromS(owner))));
            kms.sign(b -> b.keyId(keyId).message(software.amazon.awssdk.core.SdkBytes.fromUtf8String("header.claims-" + owner))
                    .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256));
            calls[i] = System.nanoTime() - t0;
        }
        notes.add(String.format(Locale.ROOT,
                "- per login beyond bcrypt at concurrency 1: %.1f ms (1/logins-per-s − 1/verifications-per-s); the login's "
                        + "own AWS calls made directly (GetItem claim + GetItem user + KMS Sign, moto) take %.1f ms median "
                        + "(50 runs), the rest is the Lambda HTTP hop, JSON and the JWT.",
                1000 / logins1.perSecond() - 1000 / logins1.other.perSecond(), ms(median(calls))));
        write("throughput.md", lines, notes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. reset-request latency vs the same calls made directly

    @Test
    @Order(2)
    void resetLatencyVsDirectCalls() throws Exception {
        Duration pad = ConfigProvider.getConfig().getValue("auth.reset.min-response-time", Duration.class);
        String table = ConfigProvider.getConfig().getValue("auth.users-table", String.class);
        String sender = ConfigProvider.getConfig().getValue("auth.mail.sender", String.class);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String email = "bench-reset-" + i + "-" + RANDOM.nextInt(1_000_000) + "@bench.example.com";
            require(post("/signup", json("email", email, "password", newPassword(), "name", "Reset " + i)), 201, "signup");
            emails.add(email);
        }
        long[][] parts = new long[4][RESETS];
        int[] partIndex = { 0 };
        Direct direct = new Direct(dynamo, ses, table, sender);

        for (int i = 0; i < 100; i++) { // warm-up (JIT), untimed
            require(post("/password-reset", json("email", emails.get(i % 4))), 202, "reset");
            direct.reset(emails.get(i % 4), null, 0);
            get("/.well-known/openid-configuration");
        }
        Recording recording = startJfr();
        long[] lambda = new long[RESETS];
        long[] sdk = new long[RESETS];
        long[] bare = new long[RESETS];
        long deadline = System.nanoTime() + MAX_NANOS;
        int n = 0;
        for (; n < RESETS && System.nanoTime() < deadline; n++) {
            String email = emails.get(n % 4);
            long t0 = System.nanoTime();
            require(post("/password-reset", json("email", email)), 202, "reset");
            long t1 = System.nanoTime();
            direct.reset(email, parts, n);
            long t2 = System.nanoTime();
            require(get("/.well-known/openid-configuration"), 200, "discovery");
            long t3 = System.nanoTime();
            lambda[n] = t1 - t0;
            sdk[n] = t2 - t1;
            bare[n] = t3 - t2;
        }
        stopJfr(recording, "reset.jfr");
        StringBuilder csv = new StringBuilder("i,lambda_ms,direct_ms,lambda_hop_only_ms\n");
        for (int i = 0; i < n; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%.2f%n", i, ms(lambda[i]), ms(sdk[i]), ms(bare[i])));
        }
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("reset-samples.csv"), csv);
        lambda = Arrays.copyOf(lambda, n);
        sdk = Arrays.copyOf(sdk, n);
        bare = Arrays.copyOf(bare, n);

        double ratio = median(lambda) / median(sdk);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "| reset request (`POST /password-reset`, known email) through the Lambda HTTP path vs the same 4 SDK calls direct: median | %.1f ms | %.1f ms | **%.2f×** | ≤ 1.2× | %s |",
                ms(median(lambda)), ms(median(sdk)), ratio, verdict(ratio <= 1.2)));
        lines.add(String.format(Locale.ROOT,
                "| … p99 | %.1f ms | %.1f ms | %.2f× | | |",
                ms(p(lambda, 0.99)), ms(p(sdk, 0.99)), p(lambda, 0.99) / p(sdk, 0.99)));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT,
                "- reset: `auth.reset.min-response-time` = %s for this measurement (production pads every reset request to "
                        + "0.5 s; the padding is deliberate and excluded here). %d requests each, sequential, interleaved "
                        + "Lambda path / direct / discovery, after 100 warm-up rounds; same users, same beans, same moto.",
                pad, n));
        notes.add(String.format(Locale.ROOT,
                "- direct calls, median each: GetItem claim %.1f ms, GetItem user %.1f ms, TransactWriteItems %.1f ms, "
                        + "SES SendEmail %.1f ms (all moto, through the test's loopback proxy). Lambda HTTP path alone "
                        + "(`GET /.well-known/openid-configuration`, no AWS call): median %.1f ms, p99 %.1f ms.",
                ms(median(Arrays.copyOf(parts[0], n))), ms(median(Arrays.copyOf(parts[1], n))),
                ms(median(Arrays.copyOf(parts[2], n))), ms(median(Arrays.copyOf(parts[3], n))),
                ms(median(bare)), ms(p(bare, 0.99))));
        notes.add(String.format(Locale.ROOT,
                "- reset requests over 100 ms: Lambda path %d, direct %d, no-AWS route %d of %d (raw samples in "
                        + "target/bench/reset-samples.csv).%n- reset without the mock event server's own hop (Lambda-path median minus the no-AWS route's median): "
                        + "%.1f ms = %.2f× the direct calls; the rest of the gap is the handler (JSON, validation, token, "
                        + "audit log line) and the hop itself, which in AWS is API Gateway + the Lambda service, not this JVM.",
                over(lambda, 100), over(sdk, 100), over(bare, 100), n,
                ms(median(lambda) - median(bare)), (median(lambda) - median(bare)) / median(sdk)));
        write("reset.md", lines, notes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. refresh latency vs the same AWS calls made directly

    @Test
    @Order(3)
    void refreshLatencyVsDirectCalls() throws Exception {
        String table = ConfigProvider.getConfig().getValue("auth.users-table", String.class);
        String keyId = ConfigProvider.getConfig().getValue("auth.jwt.kms-key-id", String.class);
        String email = "bench-refresh-" + RANDOM.nextInt(1_000_000) + "@bench.example.com";
        String password = newPassword();
        require(post("/signup", json("email", email, "password", password, "name", "Refresh")), 201, "signup");
        String[] refreshToken = { loginRefreshToken(email, password) };
        String[] directSession = { loginRefreshToken(email, password).split("\\.")[0] };
        String userId = userItem(email).get("userId").s();
        int rounds = Integer.getInteger("bench.refreshes", 300);

        IntPredicate ours = i -> {
            String next = refreshOnce(refreshToken[0]);
            refreshToken[0] = next;
            return next != null;
        };
        IntPredicate direct = i -> {
            // what POST /token/refresh asks of AWS: the session and its user (consistent reads), the conditional
            // rotation of the session item, one KMS signature of a token-sized input
            var session = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("userId", AttributeValue.fromS("SESSION#" + directSession[0]))).consistentRead(true)).item();
            dynamo.getItem(b -> b.tableName(table).key(Map.of("userId", AttributeValue.fromS(userId))).consistentRead(true));
            String newHash = sha256(newPassword());
            // the same update the service makes: new hash, the retired one appended to the last 20, times, TTL
            List<AttributeValue> spent = new ArrayList<>(session.containsKey("spentRefreshHashes")
                    ? session.get("spentRefreshHashes").l() : List.of());
            spent.add(session.get("refreshHash"));
            List<AttributeValue> kept = spent.subList(Math.max(0, spent.size() - 20), spent.size());
            String now = Instant.now().toString();
            String ttl = Long.toString(Instant.now().plusSeconds(604_800).getEpochSecond());
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("userId", AttributeValue.fromS("SESSION#" + directSession[0])))
                    .updateExpression("SET refreshHash = :new, spentRefreshHashes = :spent, rotatedAt = :now, "
                            + "lastUsedAt = :now, resetTokenExpiry = :ttl")
                    .conditionExpression("refreshHash = :current")
                    .expressionAttributeValues(Map.of(":new", AttributeValue.fromS(newHash),
                            ":spent", AttributeValue.fromL(kept),
                            ":now", AttributeValue.fromS(now),
                            ":ttl", AttributeValue.fromN(ttl),
                            ":current", session.get("refreshHash"))));
            kms.sign(b -> b.keyId(keyId).messageType(MessageType.RAW)
                    .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)
                    .message(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x".repeat(420))));
            return true;
        };
        for (int i = 0; i < 50; i++) { // warm-up (JIT), untimed
            ours.test(i);
            direct.test(i);
        }
        long[] lambda = new long[rounds];
        long[] sdk = new long[rounds];
        long[] bare = new long[rounds];
        int n = 0;
        long deadline = System.nanoTime() + MAX_NANOS;
        for (; n < rounds && System.nanoTime() < deadline; n++) {
            long t0 = System.nanoTime();
            if (!ours.test(n)) {
                throw new IllegalStateException("a refresh failed");
            }
            long t1 = System.nanoTime();
            direct.test(n);
            long t2 = System.nanoTime();
            require(get("/.well-known/openid-configuration"), 200, "discovery");
            lambda[n] = t1 - t0;
            sdk[n] = t2 - t1;
            bare[n] = System.nanoTime() - t2;
        }
        lambda = Arrays.copyOf(lambda, n);
        sdk = Arrays.copyOf(sdk, n);
        bare = Arrays.copyOf(bare, n);
        double ratio = median(lambda) / median(sdk);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "| refresh (`POST /token/refresh`) through the Lambda HTTP path vs the same 3 DynamoDB calls + 1 KMS Sign direct: median | %.1f ms | %.1f ms | **%.2f×** | ≤ 1.2× | %s |",
                ms(median(lambda)), ms(median(sdk)), ratio, verdict(ratio <= 1.2)));
        lines.add(String.format(Locale.ROOT, "| … p99 | %.1f ms | %.1f ms | %.2f× | | |",
                ms(p(lambda, 0.99)), ms(p(sdk, 0.99)), p(lambda, 0.99) / p(sdk, 0.99)));
        List<String> notes = List.of(String.format(Locale.ROOT,
                "- refresh: %d sequential rotations of one session, interleaved with the same calls made directly on "
                        + "another session of the same user, after 50 warm-up rounds; same beans, same moto. The Lambda "
                        + "HTTP path alone (`GET /.well-known/openid-configuration`, no AWS call): median %.1f ms; refresh "
                        + "without it: %.1f ms = %.2f× the direct calls.", n, ms(median(bare)),
                ms(median(lambda) - median(bare)), (median(lambda) - median(bare)) / median(sdk)));
        write("refresh.md", lines, notes);
    }

    private String loginRefreshToken(String email, String password) throws IOException {
        return field(sendForBody(HttpRequest.newBuilder(uri("/login")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("email", email, "password", password)))), "refreshToken");
    }

    /** One rotation through the Lambda path: the next refresh token, or null when refused. */
    private String refreshOnce(String refreshToken) {
        try {
            String body = sendForBody(HttpRequest.newBuilder(uri("/token/refresh")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json("refreshToken", refreshToken))));
            return body == null ? null : field(body, "refreshToken");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String sendForBody(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String field(String json, String name) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(name).asText();
    }

    /** The reset request's DynamoDB and SES calls, made directly with the application's own client beans. */
    record Direct(DynamoDbClient dynamo, SesClient ses, String table, String sender) {

        void reset(String email, long[][] parts, int n) {
            long t0 = System.nanoTime();
            var claim = dynamo.getItem(b -> b.tableName(table).key(key("EMAIL#" + email)).consistentRead(true));
            String owner = claim.item().get("ownerId").s();
            long t1 = System.nanoTime();
            var user = dynamo.getItem(b -> b.tableName(table).key(key(owner)).consistentRead(true)).item();
            long t2 = System.nanoTime();
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String tokenHash = sha256(token);
            Instant now = Instant.now();
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":new", AttributeValue.fromS(tokenHash));
            String condition = "attribute_exists(userId) AND attribute_not_exists(resetToken)";
            AttributeValue previous = user.get("resetToken");
            if (previous != null) {
                values.put(":previous", previous);
                condition = "resetToken = :previous";
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                    "userId", AttributeValue.fromS("RESET#" + tokenHash),
                    "ownerId", AttributeValue.fromS(owner),
                    "resetTokenExpiry", AttributeValue.fromN(Long.toString(now.plusSeconds(1800).getEpochSecond())),
                    "createdAt", AttributeValue.fromS(now.toString())))
                    .conditionExpression("attribute_not_exists(userId)").build()).build());
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(owner))
                    .updateExpression("SET resetToken = :new").conditionExpression(condition)
                    .expressionAttributeValues(values).build()).build());
            if (previous != null) {
                writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(key("RESET#" + previous.s())).build()).build());
            }
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            long t3 = System.nanoTime();
            ses.sendEmail(SendEmailRequest.builder().source(sender).destination(d -> d.toAddresses(email))
                    .message(m -> m.subject(c -> c.charset("UTF-8").data("Reset your password"))
                            .body(b -> b.text(c -> c.charset("UTF-8").data(
                                    "Someone asked to reset the password of your account.\n\nTo choose a new password, "
                                            + "open this link within 30 minutes:\n\nhttps://shop.example.com/reset-password?token="
                                            + token + "\n\nIf it was not you, ignore this email: your password stays as it is.\n"))))
                    .build());
            long t4 = System.nanoTime();
            if (parts != null) {
                parts[0][n] = t1 - t0;
                parts[1][n] = t2 - t1;
                parts[2][n] = t3 - t2;
                parts[3][n] = t4 - t3;
            }
        }

        private static Map<String, AttributeValue> key(String id) {
            return Map.of("userId", AttributeValue.fromS(id));
        }
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

    private static long over(long[] nanos, long millis) {
        return Arrays.stream(nanos).filter(v -> v > millis * 1_000_000).count();
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

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.elytron.security.common.BcryptUtil;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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

/**
 * Per-route overhead for bench/run.sh (through bench/lambda_rie.py): each route's API Gateway event sent to the
 * packaged function under the Lambda Runtime Interface Emulator, against the same AWS calls made directly, in this
 * JVM, with the same SDK jars (the function's own lib/), the same URLConnection HTTP client and the same moto.
 * Rounds interleave Lambda path and direct calls, so drift hits both alike. Prints Markdown; asserts nothing.
 *
 * <pre>
 * java -cp 'TASK/lib/*' bench/RouteOverhead.java routes  (settings: system properties, see main)
 * java -cp 'TASK/lib/*' bench/RouteOverhead.java bcrypt  COST... (median time of one BcryptUtil.matches)
 * </pre>
 */
public class RouteOverhead {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String table = System.getProperty("table");
    private final String keyId = System.getProperty("kmsKeyId");
    private final String sender = System.getProperty("sender");
    private final Path events = Path.of(System.getProperty("events", "events"));
    /** The bare baseline's `GET /hello` event (bench/lambda_rie.py writes it). */
    private final Path bareEvent = Path.of(System.getProperty("bareEvent"));
    private final Map<Path, ObjectNode> templates = new HashMap<>();
    private final int rounds = Integer.getInteger("rounds", 300);
    private final int warmup = Integer.getInteger("warmup", 50);
    private final String variant = System.getProperty("variant", "template JVM options");
    private final boolean withGoal = Boolean.parseBoolean(System.getProperty("withGoal", "true"));
    private final Map<String, URI> functions = new HashMap<>();
    private final DynamoDbClient dynamo;
    private final KmsClient kms;
    private final SesClient ses;

    RouteOverhead() {
        URI endpoint = URI.create(System.getProperty("endpoint"));
        Region region = Region.of(System.getProperty("region"));
        dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        kms = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        ses = SesClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        for (String name : List.of("login", "account", "reset", "bare")) {
            functions.put(name, URI.create(System.getProperty(name + "Url")));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("bcrypt")) {
            bcrypt(Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray());
        } else {
            new RouteOverhead().routes();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // bcrypt at several costs, on this machine, in this JVM

    static void bcrypt(int[] costs) {
        int n = Integer.getInteger("bcryptRuns", 10);
        for (int cost : costs) {
            String password = "bench-" + UUID.randomUUID();
            String hash = BcryptUtil.bcryptHash(password, cost);
            BcryptUtil.matches(password, hash); // warm-up
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                if (!BcryptUtil.matches(password, hash)) {
                    throw new IllegalStateException("bcrypt did not verify");
                }
                t[i] = System.nanoTime() - t0;
            }
            System.out.printf(Locale.ROOT, "bcrypt %d %.1f %.1f%n", cost, ms(median(t)), ms(Arrays.stream(t).min().getAsLong()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // per-route overhead

    void routes() throws Exception {
        int cost = Integer.getInteger("bcryptCost", 4);
        int users = (rounds + warmup) / 8 + 1; // fewer than 10 logins each: no login of the run ends an older session
        List<String[]> ours = signUp("ours", users);
        List<String[]> direct = signUp("direct", users);
        List<String[]> signedIn = signUp("signed-in", 2); // their sessions serve refresh and GET /me
        String probeHash = BcryptUtil.bcryptHash("probe-password-" + UUID.randomUUID(), cost);

        // signed-in state for refresh and GET /me: one login through the Lambda path, one session for the direct calls
        JsonNode session = JSON.readTree(invoke("login", "login.json", body("email", signedIn.get(0)[0], "password", signedIn.get(0)[1]), null)
                .get("body").asText());
        String[] refresh = { session.get("refreshToken").asText() };
        String access = session.get("accessToken").asText();
        JsonNode directSession = JSON.readTree(invoke("login", "login.json",
                body("email", signedIn.get(1)[0], "password", signedIn.get(1)[1]), null).get("body").asText());
        String directSessionId = directSession.get("refreshToken").asText().split("\\.")[0];
        String directUserId = userId(signedIn.get(1)[0]);

        Route[] routes = {
            new Route("login", "`POST /login` minus one bcrypt (cost " + cost + ")",
                    "2 GetItem (claim, user) + TransactWriteItems (session put, user update) + KMS Sign",
                    i -> {
                        String[] u = ours.get(i % ours.size());
                        return timed(() -> expect(invoke("login", "login.json", body("email", u[0], "password", u[1]), null), 200));
                    },
                    i -> timed(() -> directLogin(direct.get(i % direct.size()))),
                    () -> timed(() -> BcryptUtil.matches("not-the-password", probeHash) ? 1 : 0)),
            new Route("refresh", "`POST /token/refresh`",
                    "2 GetItem (session, user) + UpdateItem (rotation) + KMS Sign",
                    i -> timed(() -> {
                        JsonNode r = expect(invoke("login", "token-refresh.json", body("refreshToken", refresh[0]), null), 200);
                        refresh[0] = JSON.readTree(r.get("body").asText()).get("refreshToken").asText();
                        return 1;
                    }),
                    i -> timed(() -> directRefresh(directSessionId, directUserId)), null),
            new Route("me", "`GET /me`", "2 GetItem (session, user)",
                    i -> timed(() -> expect(invoke("account", "me.json", null, access), 200)),
                    i -> timed(() -> directMe(directSessionId, directUserId)), null),
            new Route("reset", "`POST /password-reset` (padding off)",
                    "2 GetItem (claim, user) + TransactWriteItems (token put, user update, old token delete) + SES SendEmail",
                    i -> timed(() -> expect(invoke("reset", "password-reset-request.json", body("email", ours.get(i % ours.size())[0]), null), 202)),
                    i -> timed(() -> directReset(direct.get(i % direct.size())[0])), null),
        };
        for (int i = 0; i < warmup; i++) { // JIT and connections, untimed
            for (Route r : routes) {
                r.ours.time(i);
                r.direct.time(i);
            }
            hop();
            bareHop();
        }
        long[][] oursT = new long[routes.length][rounds];
        long[][] directT = new long[routes.length][rounds];
        long[] bcryptT = new long[rounds];
        long[] hopT = new long[rounds];
        long[] bareT = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            for (int r = 0; r < routes.length; r++) {
                if (i % 2 == 0) { // alternate which goes first, so neither always follows the other
                    oursT[r][i] = routes[r].ours.time(i + warmup);
                    directT[r][i] = routes[r].direct.time(i + warmup);
                } else {
                    directT[r][i] = routes[r].direct.time(i + warmup);
                    oursT[r][i] = routes[r].ours.time(i + warmup);
                }
            }
            bcryptT[i] = routes[0].subtract.getAsLong();
            hopT[i] = hop();
            bareT[i] = bareHop();
        }
        double bcrypt = median(bcryptT);
        for (int i = 0; i < rounds; i++) {
            oursT[0][i] -= (long) bcrypt;
        }
        for (int r = 0; r < routes.length; r++) {
            double ratio = median(oursT[r]) / median(directT[r]);
            double p99 = p(oursT[r], 0.99) / p(directT[r], 0.99);
            System.out.printf(Locale.ROOT, "| %s through the Lambda path (RIE) vs the same AWS calls direct, %s: median | %.1f ms | %.1f ms | %s | %s |%n",
                    routes[r].label, variant, ms(median(oursT[r])), ms(median(directT[r])), ratio(ratio), goal(ratio));
            System.out.printf(Locale.ROOT, "| … p99 | %.1f ms | %.1f ms | %s | %s |%n",
                    ms(p(oursT[r], 0.99)), ms(p(directT[r], 0.99)), ratio(p99), goal(p99));
        }
        System.out.printf(Locale.ROOT, "%n- per-route: %d rounds after %d warm-up rounds, each round every route once through "
                + "the Lambda path then its AWS calls made directly; the direct calls, per route: %s. Same moto, same SDK jars, "
                + "same JVM options as the functions. Login ran at bcrypt cost %d; one `BcryptUtil.matches` at that cost "
                + "(median %.2f ms, measured in the same rounds) is subtracted from each login.%n",
                rounds, warmup, String.join("; ", Arrays.stream(routes).map(r -> r.name + ": " + r.calls).toList()), cost,
                ms(bcrypt));
        double hop = median(bareT);
        System.out.printf(Locale.ROOT, "- the Lambda path alone, no AWS call, in the same rounds: this service's `GET "
                + "/.well-known/openid-configuration` median %.2f ms (p99 %.2f); the bare Quarkus app's `GET /hello` (bench/"
                + "baselines/bare) median %.2f ms (p99 %.2f): what any quarkus-amazon-lambda-http function pays per event "
                + "under the RIE (emulator, runtime interface client, event ↔ Vert.x request). Each route less that "
                + "bare-app time, against its direct calls: %s.%n",
                ms(median(hopT)), ms(p(hopT, 0.99)), ms(hop), ms(p(bareT, 0.99)),
                String.join(", ", java.util.stream.IntStream.range(0, routes.length).mapToObj(r -> String.format(Locale.ROOT,
                        "%s %.2f×", routes[r].name, (median(oursT[r]) - hop) / median(directT[r]))).toList()));
    }

    private String ratio(double ratio) {
        return String.format(Locale.ROOT, withGoal ? "**%.2f×**" : "%.2f×", ratio);
    }

    private String goal(double ratio) {
        return withGoal ? "≤ 1.2× | " + (ratio <= 1.2 ? "met" : "**missed**") : "reported |";
    }

    private long bareHop() {
        return timed(() -> expect(send("bare", template(bareEvent)), 200));
    }

    private long hop() {
        return timed(() -> expect(invoke("login", "openid-configuration.json", null, null), 200));
    }

    record Route(String name, String label, String calls, Timer ours, Timer direct, LongSupplier subtract) {
    }

    interface Timer {
        long time(int i) throws Exception;
    }

    interface Call {
        Object run() throws Exception;
    }

    static long timed(Call call) {
        long t0 = System.nanoTime();
        try {
            call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the AWS calls of each route, made directly (what the service's stores send; see src/main/java/.../store)

    private Object directLogin(String[] user) {
        var claim = dynamo.getItem(b -> b.tableName(table).key(key("EMAIL#" + user[0])).consistentRead(true)).item();
        String owner = claim.get("ownerId").s();
        var item = dynamo.getItem(b -> b.tableName(table).key(key(owner)).consistentRead(true)).item();
        String sessionId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Map<String, AttributeValue> session = new HashMap<>();
        session.put("userId", s("SESSION#" + sessionId));
        session.put("ownerId", s(owner));
        session.put("refreshHash", s(sha256(randomToken())));
        session.put("createdAt", s(now.toString()));
        session.put("lastUsedAt", s(now.toString()));
        session.put("expiresAt", s(now.plusSeconds(2_592_000).toString()));
        session.put("resetTokenExpiry", n(now.plusSeconds(604_800).getEpochSecond()));
        session.put("userAgent", s("curl/8.5.0"));
        List<String> ids = new ArrayList<>(item.containsKey("sessionIds") ? item.get("sessionIds").ss() : List.of());
        ids.add(sessionId);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ids", AttributeValue.fromSs(ids));
        String condition = "attribute_exists(userId) AND attribute_not_exists(sessionsVersion)";
        long version = item.containsKey("sessionsVersion") ? Long.parseLong(item.get("sessionsVersion").n()) : 0;
        if (version > 0) {
            values.put(":version", n(version));
            condition = "sessionsVersion = :version";
        }
        values.put(":nextVersion", n(version + 1));
        String userCondition = condition;
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(session)
                        .conditionExpression("attribute_not_exists(userId)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(owner))
                        .updateExpression("SET sessionIds = :ids, sessionsVersion = :nextVersion")
                        .conditionExpression(userCondition).expressionAttributeValues(values).build()).build()));
        return sign();
    }

    private Object directRefresh(String sessionId, String userId) {
        var session = dynamo.getItem(b -> b.tableName(table).key(key("SESSION#" + sessionId)).consistentRead(true)).item();
        dynamo.getItem(b -> b.tableName(table).key(key(userId)).consistentRead(true));
        List<AttributeValue> spent = new ArrayList<>(session.containsKey("spentRefreshHashes")
                ? session.get("spentRefreshHashes").l() : List.of());
        spent.add(session.get("refreshHash"));
        List<AttributeValue> kept = spent.subList(Math.max(0, spent.size() - 20), spent.size());
        String now = Instant.now().toString();
        dynamo.updateItem(b -> b.tableName(table).key(key("SESSION#" + sessionId))
                .updateExpression("SET refreshHash = :new, spentRefreshHashes = :spent, rotatedAt = :rotatedAt, "
                        + "lastUsedAt = :now, resetTokenExpiry = :ttl")
                .conditionExpression("refreshHash = :current")
                .expressionAttributeValues(Map.of(":new", s(sha256(randomToken())), ":spent", AttributeValue.fromL(kept),
                        ":rotatedAt", s(now), ":now", s(now), ":ttl", n(Instant.now().plusSeconds(604_800).getEpochSecond()),
                        ":current", session.get("refreshHash"))));
        return sign();
    }

    private Object directMe(String sessionId, String userId) {
        dynamo.getItem(b -> b.tableName(table).key(key("SESSION#" + sessionId)).consistentRead(true));
        return dynamo.getItem(b -> b.tableName(table).key(key(userId)).consistentRead(true)).item();
    }

    private Object directReset(String email) {
        var claim = dynamo.getItem(b -> b.tableName(table).key(key("EMAIL#" + email)).consistentRead(true)).item();
        String owner = claim.get("ownerId").s();
        var user = dynamo.getItem(b -> b.tableName(table).key(key(owner)).consistentRead(true)).item();
        String token = randomToken();
        String tokenHash = sha256(token);
        Instant now = Instant.now();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":new", s(tokenHash));
        String condition = "attribute_exists(userId) AND attribute_not_exists(resetToken)";
        AttributeValue previous = user.get("resetToken");
        if (previous != null) {
            values.put(":previous", previous);
            condition = "resetToken = :previous";
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                "userId", s("RESET#" + tokenHash), "ownerId", s(owner),
                "resetTokenExpiry", n(now.plusSeconds(1800).getEpochSecond()), "createdAt", s(now.toString())))
                .conditionExpression("attribute_not_exists(userId)").build()).build());
        writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(owner))
                .updateExpression("SET resetToken = :new").conditionExpression(condition)
                .expressionAttributeValues(values).build()).build());
        if (previous != null) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                    .key(key("RESET#" + previous.s())).build()).build());
        }
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        return ses.sendEmail(b -> b.source(sender).destination(d -> d.toAddresses(email))
                .message(m -> m.subject(c -> c.charset("UTF-8").data("Reset your password"))
                        .body(c -> c.text(t -> t.charset("UTF-8").data("To choose a new password, open this link within "
                                + "30 minutes:\n\nhttps://shop.example.com/reset-password?token=" + token + "\n")))));
    }

    /** One RS256 signature of an access-token-sized input, as the service makes per login and refresh. */
    private Object sign() {
        return kms.sign(b -> b.keyId(keyId).messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)
                .message(SdkBytes.fromUtf8String("x".repeat(420))));
    }

    // ---------------------------------------------------------------------------------------------------------
    // the Lambda path: an API Gateway v2 event from events/, with its body and bearer token replaced, sent to the RIE

    private JsonNode invoke(String function, String eventFile, String body, String bearer) throws Exception {
        ObjectNode event = template(events.resolve(eventFile));
        ObjectNode headers = (ObjectNode) event.get("headers");
        if (body != null) {
            event.put("body", body);
            headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer);
        }
        return send(function, event);
    }

    /** A fresh copy of an event file, read and parsed once: no file I/O inside a timed request. */
    private ObjectNode template(Path file) throws Exception {
        ObjectNode parsed = templates.get(file);
        if (parsed == null) {
            parsed = (ObjectNode) JSON.readTree(Files.readString(file));
            templates.put(file, parsed);
        }
        return parsed.deepCopy();
    }

    private JsonNode send(String function, ObjectNode event) throws Exception {
        // HttpURLConnection (kept alive) rather than java.net.http: no selector thread between this one and the socket
        HttpURLConnection connection = (HttpURLConnection) functions.get(function).toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("content-type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            JSON.writeValue(out, event);
        }
        try (InputStream in = connection.getInputStream()) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode expect(JsonNode response, int status) {
        if (response.path("statusCode").asInt() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response);
        }
        return response;
    }

    private List<String[]> signUp(String prefix, int n) throws Exception {
        List<String[]> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = "bench-" + prefix + "-" + i + "-" + RANDOM.nextInt(1_000_000) + "@bench.example.com";
            String password = "bench-" + randomToken();
            expect(invoke("login", "signup.json", body("email", email, "password", password, "name", "Bench " + i), null), 201);
            users.add(new String[] { email, password });
        }
        return users;
    }

    private String userId(String email) {
        return dynamo.getItem(b -> b.tableName(table).key(key("EMAIL#" + email)).consistentRead(true)).item()
                .get("ownerId").s();
    }

    private static String body(String... pairs) throws Exception {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return JSON.writeValueAsString(map);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("userId", s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(long[] values) {
        return p(values, 0.5);
    }

    static double p(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static double ms(double nanos) {
        return nanos / 1e6;
    }
}

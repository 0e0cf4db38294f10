import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.example.shop.auth.store.Attribute;
import com.example.shop.auth.store.ItemKind;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.RandomTokens;

import io.quarkus.elytron.security.common.BcryptUtil;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.ses.SesClient;

import static com.example.shop.auth.store.Attribute.CREATED_AT;
import static com.example.shop.auth.store.Attribute.EXPIRES_AT;
import static com.example.shop.auth.store.Attribute.LAST_USED_AT;
import static com.example.shop.auth.store.Attribute.OWNER_ID;
import static com.example.shop.auth.store.Attribute.REFRESH_HASH;
import static com.example.shop.auth.store.Attribute.RESET_TOKEN;
import static com.example.shop.auth.store.Attribute.ROTATED_AT;
import static com.example.shop.auth.store.Attribute.SESSIONS_VERSION;
import static com.example.shop.auth.store.Attribute.SESSION_IDS;
import static com.example.shop.auth.store.Attribute.SPENT_REFRESH_HASHES;
import static com.example.shop.auth.store.Attribute.TTL;
import static com.example.shop.auth.store.Attribute.USER_AGENT;
import static com.example.shop.auth.store.Attribute.USER_ID;

/**
 * Per-route overhead for bench/run.sh (through bench/lambda_rie.py): each route's API Gateway event sent to the
 * packaged function under the Lambda Runtime Interface Emulator, against the AWS calls the service makes for that
 * route, made directly in this JVM with the function's own classes and jars (its task root and lib/, as Lambda's
 * class path), the same URLConnection HTTP client and the same moto. The direct calls go through the service's store
 * where its public API reaches ({@link UserStore#standalone}, {@link UserStore#findByEmail}); the others are built from
 * the store's table model ({@link ItemKind}, {@link Attribute}), so this file spells no key prefix and no attribute
 * name. Rounds interleave Lambda path and direct calls, so drift hits both alike. Prints Markdown; asserts nothing.
 *
 * <pre>
 * java -cp 'TASK:TASK/lib/*' bench/RouteOverhead.java routes  (settings: system properties, see main)
 * java -cp 'TASK:TASK/lib/*' bench/RouteOverhead.java bcrypt  COST... (median time of one BcryptUtil.matches)
 * </pre>
 */
public class RouteOverhead {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** `GET /me` through the Lambda path should take at most this many times its direct calls, median and p99. */
    private static final double ME_GOAL = 1.2;

    // the settings the functions run with: the template's environment, which this JVM is given, else the defaults
    private static final Duration IDLE_TIMEOUT = setting("AUTH_SESSION_IDLE_TIMEOUT", "P7D");
    private static final Duration ABSOLUTE_LIFETIME = setting("AUTH_SESSION_ABSOLUTE_LIFETIME", "P30D");
    private static final Duration RESET_TOKEN_TTL = setting("AUTH_RESET_TOKEN_TTL", "PT30M");
    private static final int REMEMBERED_SPENT_TOKENS = 20;

    // the expressions of the service's writes (SessionStore, OneTimeTokenStore), with the store's attribute names
    private static final String ITEM_IS_NEW = "attribute_not_exists(" + name(USER_ID) + ")";
    private static final String SESSION_LIST_UPDATE = "SET " + name(SESSION_IDS) + " = :ids, "
            + name(SESSIONS_VERSION) + " = :nextVersion";
    private static final String NO_SESSIONS_VERSION_YET = "attribute_exists(" + name(USER_ID) + ") AND attribute_not_exists("
            + name(SESSIONS_VERSION) + ")";
    private static final String SAME_SESSIONS_VERSION = name(SESSIONS_VERSION) + " = :version";
    private static final String ROTATION = "SET " + name(REFRESH_HASH) + " = :new, " + name(SPENT_REFRESH_HASHES)
            + " = :spent, " + name(ROTATED_AT) + " = :rotatedAt, " + name(LAST_USED_AT) + " = :now, " + name(TTL)
            + " = :ttl";
    private static final String SAME_REFRESH_HASH = name(REFRESH_HASH) + " = :current";
    private static final String RESET_TOKEN_UPDATE = "SET " + name(RESET_TOKEN) + " = :new";
    private static final String NO_RESET_TOKEN_YET = "attribute_exists(" + name(USER_ID) + ") AND attribute_not_exists("
            + name(RESET_TOKEN) + ")";
    private static final String SAME_RESET_TOKEN = name(RESET_TOKEN) + " = :previous";

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
    /** The service's own user store, outside CDI, on this JVM's client and the same table. */
    private final UserStore users;
    private final RandomTokens tokens = new RandomTokens();
    /** Per direct user (by email): what its item holds beyond what {@link StoredUser} shows. */
    private final Map<String, Known> known = new HashMap<>();

    RouteOverhead() {
        URI endpoint = URI.create(System.getProperty("endpoint"));
        Region region = Region.of(System.getProperty("region"));
        dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        kms = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        ses = SesClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .region(region).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        users = UserStore.standalone(dynamo, table);
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
        int count = (rounds + warmup) / 8 + 1; // fewer than 10 logins each: no login of the run ends an older session
        List<String[]> ours = signUp("ours", count);
        List<String[]> direct = signUp("direct", count);
        List<String[]> signedIn = signUp("signed-in", 2); // their sessions serve refresh and GET /me
        String probeHash = BcryptUtil.bcryptHash("probe-password-" + UUID.randomUUID(), cost);

        // signed-in state for refresh and GET /me: one login through the Lambda path, one session for the direct calls
        JsonNode session = JSON.readTree(invoke("login", "login.json", body("email", signedIn.get(0)[0], "password", signedIn.get(0)[1]), null)
                .get("body").asText());
        String[] refresh = { session.get("refreshToken").asText() };
        String access = session.get("accessToken").asText();
        String directToken = JSON.readTree(invoke("login", "login.json",
                body("email", signedIn.get(1)[0], "password", signedIn.get(1)[1]), null).get("body").asText())
                .get("refreshToken").asText();
        String[] tokenParts = directToken.split("\\."); // <user id>.<session id>.<secret>; before: <session id>.<secret>
        String directSessionId = tokenParts[tokenParts.length - 2];
        String directUserId = users.findByEmail(signedIn.get(1)[0]).orElseThrow().userId();

        Route[] routes = {
            new Route("login", "`POST /login` minus one bcrypt (cost " + cost + ")",
                    "2 GetItem (claim, user: `UserStore.findByEmail`) + TransactWriteItems (session put, user update) + KMS Sign",
                    null,
                    i -> {
                        String[] u = ours.get(i % ours.size());
                        return timed(() -> expect(invoke("login", "login.json", body("email", u[0], "password", u[1]), null), 200));
                    },
                    i -> timed(() -> directLogin(direct.get(i % direct.size())[0])),
                    () -> timed(() -> BcryptUtil.matches("not-the-password", probeHash) ? 1 : 0)),
            new Route("refresh", "`POST /token/refresh`",
                    "1 BatchGetItem (session, user; strongly consistent) + UpdateItem (rotation, on the condition that "
                            + "the token is still the session's) + KMS Sign",
                    null,
                    i -> timed(() -> {
                        JsonNode r = expect(invoke("login", "token-refresh.json", body("refreshToken", refresh[0]), null), 200);
                        refresh[0] = JSON.readTree(r.get("body").asText()).get("refreshToken").asText();
                        return 1;
                    }),
                    i -> timed(() -> directRefresh(directUserId, directSessionId)), null),
            new Route("me", "`GET /me`", "1 BatchGetItem (session, user; strongly consistent)", ME_GOAL,
                    i -> timed(() -> expect(invoke("account", "me.json", null, access), 200)),
                    i -> timed(() -> directMe(directUserId, directSessionId)), null),
            new Route("reset", "`POST /password-reset` (padding off)",
                    "2 GetItem (claim, user: `UserStore.findByEmail`) + TransactWriteItems (token put, user update, "
                            + "old token delete) + SES SendEmail",
                    null,
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
            Route route = routes[r];
            double ratio = median(oursT[r]) / median(directT[r]);
            double p99 = p(oursT[r], 0.99) / p(directT[r], 0.99);
            // every row names its route, so bench/run.sh can pick the p99 rows too
            System.out.printf(Locale.ROOT, "| %s through the Lambda path (RIE) vs its AWS calls made directly, %s: median | %.1f ms | %.1f ms | %s |%n",
                    route.label, variant, ms(median(oursT[r])), ms(median(directT[r])), verdict(route.goal, ratio));
            System.out.printf(Locale.ROOT, "| %s, the same: p99 | %.1f ms | %.1f ms | %s |%n",
                    route.label, ms(p(oursT[r], 0.99)), ms(p(directT[r], 0.99)), verdict(route.goal, p99));
        }
        System.out.printf(Locale.ROOT, "%n- per-route: %d rounds after %d warm-up rounds, each round every route once through "
                + "the Lambda path and once as its AWS calls made directly (which goes first alternates); the direct calls, "
                + "per route, as the service makes them: %s. Same moto, same SDK jars, same JVM options as the functions. "
                + "Login ran at bcrypt cost %d; one `BcryptUtil.matches` at that cost (median %.2f ms, measured in the same "
                + "rounds) is subtracted from each login.%n",
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

    /** Ratio, goal and verdict cells: a goal only where the route has one and the run uses the template's options. */
    private String verdict(Double goal, double ratio) {
        if (goal == null || !withGoal) {
            return String.format(Locale.ROOT, "%.2f× | reported |", ratio);
        }
        return String.format(Locale.ROOT, "**%.2f×** | ≤ %.1f× | %s", ratio, goal, ratio <= goal ? "met" : "**missed**");
    }

    private long bareHop() {
        return timed(() -> expect(send("bare", template(bareEvent)), 200));
    }

    private long hop() {
        return timed(() -> expect(invoke("login", "openid-configuration.json", null, null), 200));
    }

    /** A route: its Lambda path, its direct calls, and the goal on their ratio (null: reported only). */
    record Route(String name, String label, String calls, Double goal, Timer ours, Timer direct, LongSupplier subtract) {
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
    // the AWS calls of each route, made directly: what LoginService, SessionService, BearerAuthFilter and
    // PasswordResetService have the store send (src/main/java/com/example/shop/auth/store)

    /**
     * What a direct user's item holds that {@link StoredUser} does not show, but that the service's writes put in
     * their conditions: the session list and its version, the live reset token. Only the direct calls write to these
     * users after their signup, so this JVM knows both; were it wrong, the transaction's condition would fail and
     * stop the run.
     */
    private static final class Known {
        final List<String> sessionList = new ArrayList<>();
        long sessionsVersion;
        String resetTokenHash;
    }

    /** `POST /login` less bcrypt: the user by its email claim (the store's two reads), then the session transaction. */
    private Object directLogin(String email) {
        StoredUser user = users.findByEmail(email).orElseThrow();
        Known k = known.computeIfAbsent(email, e -> new Known());
        Instant now = Instant.now();
        String sessionId = UUID.randomUUID().toString();
        String refreshToken = user.userId() + "." + sessionId + "." + tokens.newToken();
        Instant expiresAt = now.plus(ABSOLUTE_LIFETIME);
        Map<String, AttributeValue> session = new HashMap<>();
        session.put(name(USER_ID), s(ItemKind.SESSION.prefix() + sessionId));
        session.put(name(OWNER_ID), s(user.userId()));
        session.put(name(REFRESH_HASH), s(RandomTokens.hash(refreshToken)));
        session.put(name(CREATED_AT), s(now.toString()));
        session.put(name(LAST_USED_AT), s(now.toString()));
        session.put(name(EXPIRES_AT), s(expiresAt.toString()));
        session.put(name(TTL), n(earlier(now.plus(IDLE_TIMEOUT), expiresAt).getEpochSecond()));
        session.put(name(USER_AGENT), s("curl/8.5.0"));
        List<String> ids = new ArrayList<>(k.sessionList);
        ids.add(sessionId);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ids", AttributeValue.fromSs(ids));
        values.put(":nextVersion", n(k.sessionsVersion + 1));
        String condition = NO_SESSIONS_VERSION_YET;
        if (k.sessionsVersion > 0) {
            values.put(":version", n(k.sessionsVersion));
            condition = SAME_SESSIONS_VERSION;
        }
        transact(List.of(put(session), update(user.userId(), SESSION_LIST_UPDATE, condition, values)));
        k.sessionList.add(sessionId);
        k.sessionsVersion++;
        return sign();
    }

    /** `POST /token/refresh` with a token naming its user: one read of both, the rotation, the new access token. */
    private Object directRefresh(String userId, String sessionId) {
        String sessionKey = ItemKind.SESSION.prefix() + sessionId;
        Map<String, AttributeValue> session = readSessionWithOwner(userId, sessionKey).get(sessionKey);
        Instant now = Instant.now();
        AttributeValue current = session.get(name(REFRESH_HASH));
        AttributeValue spentBefore = session.get(name(SPENT_REFRESH_HASHES));
        List<AttributeValue> spent = new ArrayList<>(spentBefore == null ? List.of() : spentBefore.l());
        spent.add(current);
        List<AttributeValue> kept = spent.subList(Math.max(0, spent.size() - REMEMBERED_SPENT_TOKENS), spent.size());
        String next = userId + "." + sessionId + "." + tokens.newToken();
        Instant expiresAt = Instant.parse(session.get(name(EXPIRES_AT)).s());
        dynamo.updateItem(b -> b.tableName(table).key(key(sessionKey))
                .updateExpression(ROTATION)
                .conditionExpression(SAME_REFRESH_HASH)
                .expressionAttributeValues(Map.of(":new", s(RandomTokens.hash(next)), ":spent", AttributeValue.fromL(kept),
                        ":rotatedAt", s(now.toString()), ":now", s(now.toString()),
                        ":ttl", n(earlier(now.plus(IDLE_TIMEOUT), expiresAt).getEpochSecond()), ":current", current))
                .returnValues(ReturnValue.ALL_NEW));
        return sign();
    }

    /** `GET /me`: the session and its user in one strongly consistent read (SessionStore.findWithOwner). */
    private Object directMe(String userId, String sessionId) {
        return readSessionWithOwner(userId, ItemKind.SESSION.prefix() + sessionId);
    }

    /** `POST /password-reset`: the user by its email claim (the store's two reads), the token transaction, the email. */
    private Object directReset(String email) {
        StoredUser user = users.findByEmail(email).orElseThrow();
        Known k = known.computeIfAbsent(email, e -> new Known());
        String token = tokens.newToken();
        String tokenHash = RandomTokens.hash(token);
        Instant now = Instant.now();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":new", s(tokenHash));
        String condition = NO_RESET_TOKEN_YET;
        if (k.resetTokenHash != null) {
            values.put(":previous", s(k.resetTokenHash));
            condition = SAME_RESET_TOKEN;
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(Map.of(
                name(USER_ID), s(ItemKind.RESET_TOKEN.prefix() + tokenHash),
                name(OWNER_ID), s(user.userId()),
                name(TTL), n(now.plus(RESET_TOKEN_TTL).getEpochSecond()),
                name(CREATED_AT), s(now.toString()))));
        writes.add(update(user.userId(), RESET_TOKEN_UPDATE, condition, values));
        if (k.resetTokenHash != null) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                    .key(key(ItemKind.RESET_TOKEN.prefix() + k.resetTokenHash)).build()).build());
        }
        transact(writes);
        k.resetTokenHash = tokenHash;
        String text = "Someone asked to reset the password of your account.\n\nTo choose a new password, open this link "
                + "within " + RESET_TOKEN_TTL.toMinutes() + " minutes:\n\nhttps://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
                + "/reset-password?token=" + token + "\n\nIf it was not you, ignore this email: your password stays as it is.\n";
        return ses.sendEmail(b -> b.source(sender).destination(d -> d.toAddresses(email))
                .message(m -> m.subject(c -> c.charset("UTF-8").data("Reset your password"))
                        .body(c -> c.text(t -> t.charset("UTF-8").data(text)))));
    }

    /** One strongly consistent BatchGetItem of a user and one of its sessions, as the store asks for them. */
    private Map<String, Map<String, AttributeValue>> readSessionWithOwner(String userId, String sessionKey) {
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(List.of(key(userId), key(sessionKey))).consistentRead(true).build())));
        if (response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()) {
            throw new IllegalStateException("keys left unprocessed: the direct read would need a second round trip");
        }
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(item.get(name(USER_ID)).s(), item));
        if (found.size() != 2) {
            throw new IllegalStateException("the direct session or its user is missing");
        }
        return found;
    }

    private void transact(List<TransactWriteItem> writes) {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).conditionExpression(ITEM_IS_NEW)
                .build()).build();
    }

    private TransactWriteItem update(String key, String expression, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(key)).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeValues(values).build()).build();
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
        List<String[]> signedUp = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = "bench-" + prefix + "-" + i + "-" + RANDOM.nextInt(1_000_000) + "@bench.example.com";
            String password = "bench-" + tokens.newToken();
            expect(invoke("login", "signup.json", body("email", email, "password", password, "name", "Bench " + i), null), 201);
            signedUp.add(new String[] { email, password });
        }
        return signedUp;
    }

    private static String body(String... pairs) throws Exception {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return JSON.writeValueAsString(map);
    }

    private static String name(Attribute attribute) {
        return attribute.attributeName();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(name(USER_ID), s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration setting(String variable, String fallback) {
        String value = System.getenv(variable);
        return Duration.parse(value == null || value.isBlank() ? fallback : value);
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

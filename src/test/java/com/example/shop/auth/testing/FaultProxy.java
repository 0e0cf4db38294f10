package com.example.shop.auth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A TCP proxy on loopback between the application and moto that can break the connection on purpose: refuse it,
 * hang it, drop responses after the request was applied, or answer like a throttled DynamoDB. In {@link Mode#RECORD}
 * it also records every request and can answer some the way real DynamoDB does under contention or to an invalid
 * request, which moto (one request at a time, lenient) never does: see {@link #conflictSingleItemWrites},
 * {@link #cancelTransactions}, {@link #answerBatchGetsInPart} and {@link #rejectAsInvalid}.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode {
        /** Forward both ways. */
        PASS,
        /** Accept, then close at once (the endpoint is down). */
        REFUSE,
        /** Accept and read, never answer (the endpoint stalls). */
        HANG,
        /** Forward the request, discard the response and close (applied, but the caller never hears). */
        DROP_RESPONSE,
        /** Answer every request with DynamoDB's ProvisionedThroughputExceededException. */
        THROTTLE,
        /** Forward every request but DynamoDB write transactions, which get a 500 (the write path is down). */
        FAIL_TRANSACTIONS,
        /**
         * Relay request by request, recording each ({@link #recorded()}), and answer those the faults added since
         * the switch pick instead of moto.
         */
        RECORD
    }

    /** For the fault methods: every matching request, not only the first ones. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    /**
     * One request seen in {@link Mode#RECORD}: its X-Amz-Target, JSON body, when it arrived and when its answer had
     * been sent ({@link System#nanoTime}; the gap between an answer and the caller's next request is its wait).
     */
    public record Recorded(String target, String body, long nanoTime, long answeredNanoTime) {

        /** The operation, e.g. {@code UpdateItem} for target {@code DynamoDB_20120810.UpdateItem}. */
        public String operation() {
            return target.substring(target.lastIndexOf('.') + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** DynamoDB's own error type prefix; validation errors come from the request-validation layer's instead. */
    private static final String DYNAMODB_ERROR = "com.amazonaws.dynamodb.v20120810#";
    private static final String VALIDATION_ERROR = "com.amazon.coral.validate#ValidationException";
    private static final Map<String, String> CANCELLATION_MESSAGES = Map.of(
            "TransactionConflict", "Transaction is ongoing for the item",
            "ValidationError", "One or more parameter values were invalid",
            "ThrottlingError", "Throughput exceeds the current capacity of your table or index.",
            "ConditionalCheckFailed", "The conditional request failed");

    private static final String THROTTLED_BODY = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + "ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput "
            + "for the table was exceeded.\"}";

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    public FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Switches mode and drops every open connection, so pooled keep-alive connections see the new mode too; forgets
     * the faults and the recorded requests.
     */
    public void setMode(Mode newMode) {
        faults.clear();
        recorded.clear();
        mode = newMode;
        requests.set(0);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** Connections (PASS, REFUSE...) or requests (THROTTLE) seen since the last mode switch. */
    public int requestsSinceModeSwitch() {
        return requests.get();
    }

    /**
     * The first {@code times} single-item writes (PutItem, UpdateItem, DeleteItem) get DynamoDB's answer to a write
     * on an item a transaction is writing: TransactionConflictException, HTTP 400; moto never sees them. Later ones
     * go through. Switches to {@link Mode#RECORD}.
     */
    public void conflictSingleItemWrites(int times) {
        addFault(Set.of("PutItem", "UpdateItem", "DeleteItem"), times,
                (request, upstream) -> error(400, DYNAMODB_ERROR + "TransactionConflictException",
                        "message", "Transaction is ongoing for the item"));
    }

    /**
     * The first {@code times} TransactWriteItems are cancelled without reaching moto: TransactionCanceledException,
     * HTTP 400, whose CancellationReasons give {@code reasonCode} (e.g. TransactionConflict, ValidationError) for
     * the last item and None for the others, in the order of the request's items, as DynamoDB lists them.
     * Switches to {@link Mode#RECORD}.
     */
    public void cancelTransactions(String reasonCode, int times) {
        addFault(Set.of("TransactWriteItems"), times, (request, upstream) -> cancelled(request, reasonCode));
    }

    /**
     * The first {@code times} BatchGetItem get a partial answer, as DynamoDB gives under load or past 16 MB: moto
     * answers, then half the items it found (rounded up) are taken out of Responses and their keys put in
     * UnprocessedKeys, so the caller must ask again for them. The times of the requests are in {@link #recorded}.
     * Switches to {@link Mode#RECORD}.
     */
    public void answerBatchGetsInPart(int times) {
        addFault(Set.of("BatchGetItem"), times, (request, upstream) -> partially(request, upstream.forward()));
    }

    /**
     * The first {@code times} requests of {@code operation} reach moto, which applies them, but their answer is lost:
     * the connection closes instead. The caller's SDK then sends the request again, as it would after a timeout.
     * Switches to {@link Mode#RECORD}.
     */
    public void loseAnswers(String operation, int times) {
        addFault(Set.of(operation), times, (request, upstream) -> {
            upstream.forward();
            return LOST;
        });
    }

    /**
     * Every request of {@code operation} (e.g. UpdateItem) gets a ValidationException, HTTP 400, as real DynamoDB
     * answers a request it finds invalid (an empty ExpressionAttributeValues, for one). Switches to
     * {@link Mode#RECORD}.
     */
    public void rejectAsInvalid(String operation) {
        addFault(Set.of(operation), ALWAYS, (request, upstream) -> error(400, VALIDATION_ERROR, "message",
                "One or more parameter values were invalid (answered by the test proxy)"));
    }

    /**
     * Every request of {@code operation} whose body contains {@code bodyContains} (a key, say) gets DynamoDB's
     * ProvisionedThroughputExceededException, HTTP 400, as when one item's partition is hot; the others go through.
     * Switches to {@link Mode#RECORD}.
     */
    public void throttleWhere(String operation, String bodyContains) {
        addFault(Set.of(operation), ALWAYS, (request, upstream) -> request.body().contains(bodyContains)
                ? error(400, DYNAMODB_ERROR + "ProvisionedThroughputExceededException", "message",
                        "The level of configured provisioned throughput for the table was exceeded.")
                : upstream.forward());
    }

    /**
     * Requests answered in {@link Mode#RECORD} since the last mode switch or {@link #forgetRecorded}, in the order
     * they arrived.
     */
    public List<Recorded> recorded() {
        return recorded.stream().sorted(Comparator.comparingLong(Recorded::nanoTime)).toList();
    }

    /** Those of one operation, e.g. {@code BatchGetItem}. */
    public List<Recorded> recorded(String operation) {
        return recorded().stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public void forgetRecorded() {
        recorded.clear();
    }

    private void addFault(Set<String> operations, int times, Answerer answerer) {
        if (mode != Mode.RECORD) {
            setMode(Mode.RECORD);
        }
        faults.add(new Fault(operations, new AtomicInteger(times), answerer));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread handler = new Thread(() -> handle(client, mode));
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client, Mode connectionMode) {
        requests.incrementAndGet();
        try {
            switch (connectionMode) {
                case PASS -> forward(client, true);
                case DROP_RESPONSE -> forward(client, false);
                case REFUSE -> closeQuietly(client);
                case HANG -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
                case THROTTLE -> answerThrottled(client);
                case FAIL_TRANSACTIONS -> failTransactions(client);
                case RECORD -> relayAndRecord(client);
            }
        } catch (IOException e) {
            // the client or the proxy closed the connection: nothing to do
        } finally {
            closeQuietly(client);
            open.remove(client);
        }
    }

    private void forward(Socket client, boolean deliverResponses) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(upstream);
            Thread requestPump = new Thread(() -> pump(client, upstream));
            requestPump.setDaemon(true);
            requestPump.start();
            InputStream fromUpstream = upstream.getInputStream();
            if (deliverResponses) {
                fromUpstream.transferTo(client.getOutputStream());
            } else if (fromUpstream.read() >= 0) {
                closeQuietly(client); // the request was handled upstream; its answer is lost
            }
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(to);
        }
    }

    private void answerThrottled(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (true) {
            int contentLength = readHeaders(in);
            if (contentLength < 0) {
                return;
            }
            in.readNBytes(contentLength);
            requests.incrementAndGet();
            byte[] body = THROTTLED_BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "x-amzn-RequestId: FAULTPROXY\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }

    /** Request by request: transactions answered with a 500, everything else relayed to moto and back. */
    private void failTransactions(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int contentLength = readHeaders(in, head);
            if (contentLength < 0) {
                return;
            }
            byte[] body = in.readNBytes(contentLength);
            requests.incrementAndGet();
            if (head.toString(StandardCharsets.US_ASCII).contains("DynamoDB_20120810.TransactWriteItems")) {
                byte[] error = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"down\"}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "x-amzn-RequestId: FAULTPROXY\r\nContent-Length: " + error.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(error);
            } else {
                try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                    upstream.getOutputStream().write(head.toByteArray());
                    upstream.getOutputStream().write(body);
                    ByteArrayOutputStream answerHead = new ByteArrayOutputStream();
                    InputStream fromUpstream = upstream.getInputStream();
                    int answerLength = readHeaders(fromUpstream, answerHead);
                    out.write(answerHead.toByteArray());
                    out.write(fromUpstream.readNBytes(Math.max(0, answerLength)));
                }
            }
            out.flush();
        }
    }

    /** What the proxy sends back for one request: the whole HTTP response. */
    /** Not an answer: the connection closes without one. */
    private static final Answer LOST = new Answer(new byte[0], new byte[0]);

    private record Answer(byte[] head, byte[] body) {

        int status() {
            String statusLine = new String(head, StandardCharsets.US_ASCII).split("\r\n", 2)[0];
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** Sends the request on to moto and returns its answer. */
    @FunctionalInterface
    private interface Upstream {
        Answer forward() throws IOException;
    }

    /** Answers a request in moto's stead, possibly after forwarding it. */
    @FunctionalInterface
    private interface Answerer {
        Answer answer(Recorded request, Upstream upstream) throws IOException;
    }

    /** Answers the requests of some operations, the first {@code remaining} times ({@link #ALWAYS}: every time). */
    private record Fault(Set<String> operations, AtomicInteger remaining, Answerer answerer) {

        boolean takes(Recorded request) {
            return operations.contains(request.operation())
                    && remaining.getAndUpdate(n -> n == ALWAYS ? n : Math.max(0, n - 1)) > 0;
        }
    }

    /** Request by request: recorded, then answered by the first fault that takes it, or else by moto. */
    private void relayAndRecord(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        client.setTcpNoDelay(true); // each answer goes out whole at once: no Nagle wait in the measured gaps
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            long arrived = System.nanoTime(); // the request's first byte: its body may follow a delayed-ACK later
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(first);
            int contentLength = readHeaders(in, head);
            if (contentLength < 0) {
                return;
            }
            byte[] body = in.readNBytes(contentLength);
            requests.incrementAndGet();
            String target = header(head.toString(StandardCharsets.US_ASCII), "x-amz-target");
            Recorded request = new Recorded(target, new String(body, StandardCharsets.UTF_8), arrived, 0);
            Upstream upstream = () -> forwardOne(head.toByteArray(), body);
            Answer answer = null;
            for (Iterator<Fault> it = faults.iterator(); answer == null && it.hasNext();) {
                Fault fault = it.next();
                if (fault.takes(request)) {
                    answer = fault.answerer().answer(request, upstream);
                }
            }
            if (answer == null) {
                answer = upstream.forward();
            }
            if (answer == LOST) {
                recorded.add(new Recorded(request.target(), request.body(), request.nanoTime(), System.nanoTime()));
                closeQuietly(client);
                return;
            }
            out.write(concat(answer.head(), answer.body()));
            out.flush();
            recorded.add(new Recorded(request.target(), request.body(), request.nanoTime(), System.nanoTime()));
        }
    }

    private Answer forwardOne(byte[] head, byte[] body) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            upstream.setTcpNoDelay(true);
            upstream.getOutputStream().write(concat(head, body));
            ByteArrayOutputStream answerHead = new ByteArrayOutputStream();
            InputStream fromUpstream = upstream.getInputStream();
            int answerLength = readHeaders(fromUpstream, answerHead);
            if (answerLength < 0) {
                throw new IOException("moto closed the connection without answering");
            }
            return new Answer(answerHead.toByteArray(), fromUpstream.readNBytes(answerLength));
        }
    }

    private static byte[] concat(byte[] head, byte[] body) {
        byte[] whole = new byte[head.length + body.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        return whole;
    }

    /** A DynamoDB error: {@code __type} and one message member (DynamoDB spells it "message" or "Message"). */
    private static Answer error(int status, String type, String messageMember, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put(messageMember, message);
        return json(status, body);
    }

    /** TransactionCanceledException as DynamoDB sends it, one reason per item of the request. */
    private static Answer cancelled(Recorded request, String reasonCode) throws IOException {
        int items = Math.max(1, JSON.readTree(request.body()).path("TransactItems").size());
        ArrayNode reasons = JSON.createArrayNode();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ObjectNode reason = reasons.addObject();
            if (i == items - 1) {
                reason.put("Code", reasonCode).put("Message",
                        CANCELLATION_MESSAGES.getOrDefault(reasonCode, reasonCode));
                codes.add(reasonCode);
            } else {
                reason.put("Code", "None");
                codes.add("None");
            }
        }
        ObjectNode body = JSON.createObjectNode().put("__type", DYNAMODB_ERROR + "TransactionCanceledException");
        body.set("CancellationReasons", reasons);
        body.put("Message", "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + codes.toString());
        return json(400, body);
    }

    /** Moto's BatchGetItem answer with half the items found (rounded up) moved back to UnprocessedKeys. */
    private static Answer partially(Recorded request, Answer full) throws IOException {
        if (full.status() != 200) {
            return full;
        }
        JsonNode requestItems = JSON.readTree(request.body()).path("RequestItems");
        ObjectNode answer = (ObjectNode) JSON.readTree(full.body());
        ObjectNode responses = objectMember(answer, "Responses");
        ObjectNode unprocessed = objectMember(answer, "UnprocessedKeys");
        for (Iterator<String> tables = responses.fieldNames(); tables.hasNext();) {
            String table = tables.next();
            ArrayNode found = (ArrayNode) responses.get(table);
            JsonNode asked = requestItems.path(table);
            int moving = (found.size() + 1) / 2;
            if (moving == 0 || !asked.path("Keys").isArray() || asked.path("Keys").isEmpty()) {
                continue;
            }
            List<String> keyAttributes = new ArrayList<>();
            asked.path("Keys").get(0).fieldNames().forEachRemaining(keyAttributes::add);
            ObjectNode again = asked.deepCopy();
            ArrayNode keys = again.putArray("Keys");
            for (int i = 0; i < moving; i++) {
                JsonNode item = found.remove(found.size() - 1);
                ObjectNode key = keys.addObject();
                keyAttributes.forEach(attribute -> key.set(attribute, item.get(attribute)));
            }
            unprocessed.set(table, again);
        }
        return json(200, answer);
    }

    private static ObjectNode objectMember(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode member ? member : parent.putObject(name);
    }

    private static Answer json(int status, JsonNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : "Error";
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "x-amzn-RequestId: FAULTPROXY\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new Answer(head, bytes);
    }

    /** One header's value from a message head, or "" when it has none. */
    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    /** Reads one request's headers; returns its Content-Length, or -1 at end of stream. */
    private static int readHeaders(InputStream in) throws IOException {
        return readHeaders(in, new ByteArrayOutputStream());
    }

    /** Reads one message's headers into {@code headers}; returns its Content-Length, or -1 at end of stream. */
    private static int readHeaders(InputStream in, ByteArrayOutputStream headers) throws IOException {
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            headers.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        for (String line : headers.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        setMode(Mode.PASS);
    }
}

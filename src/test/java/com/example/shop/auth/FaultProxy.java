package com.example.shop.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between the application and moto that can break the connection on purpose: refuse it,
 * hang it, drop responses after the request was applied, or answer like a throttled DynamoDB.
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
        FAIL_TRANSACTIONS
    }

    private static final String THROTTLED_BODY = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + "ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput "
            + "for the table was exceeded.\"}";

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;

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

    /** Switches mode and drops every open connection, so pooled keep-alive connections see the new mode too. */
    public void setMode(Mode newMode) {
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

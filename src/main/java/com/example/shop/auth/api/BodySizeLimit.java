package com.example.shop.auth.api;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Refuses request bodies over 16 KiB while they are read, whatever Content-Length claims: no request of this API
 * needs more, and an unbounded body is an easy way to burn Lambda time and memory. Refuses bodies that are not
 * valid UTF-8 too: decoding them would turn every malformed byte into U+FFFD, so that two different byte strings
 * (two passwords) would become the same text.
 */
@Provider
public class BodySizeLimit implements ReaderInterceptor {

    public static final int MAX_BYTES = 16 * 1024;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!StrictRequests.isStrictJson(context.getHeaders().getFirst("Content-Type"))) {
            throw new NotSupportedException();
        }
        String declared = context.getHeaders().getFirst("Content-Length");
        if (declared != null && isOver(declared)) {
            throw new BodyTooLargeException();
        }
        byte[] body = new Bounded(context.getInputStream()).readAllBytes();
        if (!isStrictUtf8(body)) {
            throw new MalformedUtf8Exception();
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > MAX_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Valid UTF-8 with no U+FFFD: a replacement character in a body means a layer before us (the Lambda event's
     * text body) already replaced malformed bytes, so the client's bytes were not text.
     */
    private static boolean isStrictUtf8(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.indexOf('\uFFFD') < 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    public static class MalformedUtf8Exception extends RuntimeException {
        MalformedUtf8Exception() {
            super("request body is not UTF-8", null, false, false);
        }
    }

    public static class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException() {
            super("request body too large", null, false, false);
        }
    }

    private static final class Bounded extends FilterInputStream {
        private long count;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > MAX_BYTES) {
                throw new BodyTooLargeException();
            }
        }
    }
}

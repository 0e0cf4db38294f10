package com.example.shop.auth.session;

import java.time.Instant;

/** One live session as its owner sees it in the list of where they are signed in. */
public record SessionSummary(String sessionId, Instant createdAt, Instant lastUsedAt, String userAgent) {
}

package com.example.shop.auth.account;

import java.time.Duration;
import java.time.Instant;

import com.example.shop.auth.store.RateCounterStore.Window;

/**
 * Budgets count in fixed windows aligned to the epoch (an hour's window starts on the hour): one counter item per
 * window, no sliding-window bookkeeping. A caller can spend a budget at the end of one window and again at the start
 * of the next, so the worst case is twice the budget within one window's length; the budgets are set with that in
 * mind.
 */
final class FixedWindow {

    private FixedWindow() {
    }

    static Window of(String scope, String subject, Duration length, Instant now) {
        long seconds = Math.max(1, length.toSeconds());
        long start = Math.floorDiv(now.getEpochSecond(), seconds) * seconds;
        return new Window(scope, subject, Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + seconds));
    }

    /** Whole seconds until the window ends, at least 1: what {@code Retry-After} says. */
    static Duration untilEnd(Window window, Instant now) {
        return Duration.ofSeconds(Math.max(1, window.end().getEpochSecond() - now.getEpochSecond()));
    }
}

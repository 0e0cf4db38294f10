package com.example.shop.auth.testing;

import java.time.Duration;

/** The budgets count in fixed windows aligned to the epoch; tests start far enough from a window's end. */
public final class Windows {

    private Windows() {
    }

    /**
     * Moves the test clock to just past the start of the next window of {@code length} when the current one ends
     * within two minutes, so a test's requests all fall into one window.
     */
    public static void startFresh(TestClock clock, Duration length) {
        long seconds = length.toSeconds();
        long into = Math.floorMod(clock.instant().getEpochSecond(), seconds);
        if (seconds - into < 120) {
            clock.advance(Duration.ofSeconds(seconds - into + 1));
        }
    }
}

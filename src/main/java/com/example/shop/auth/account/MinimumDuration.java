package com.example.shop.auth.account;

import java.time.Duration;
import java.util.function.Supplier;

/** Makes requests whose work depends on whether an account exists take the same time either way. */
final class MinimumDuration {

    private MinimumDuration() {
    }

    static <T> T atLeast(Duration minimum, Supplier<T> work) {
        long deadline = System.nanoTime() + minimum.toNanos();
        try {
            return work.get();
        } finally {
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                try {
                    Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

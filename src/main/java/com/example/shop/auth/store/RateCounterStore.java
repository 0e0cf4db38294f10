package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.n;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counters of the abuse budgets, one item per budget, subject and fixed window:
 * {@code RATE#<scope>#<subject>#<window start, epoch seconds>} with {@code count} and the table's TTL attribute at
 * the window's end, so DynamoDB deletes spent windows by itself. Charging a budget is one atomic {@code UpdateItem}
 * ({@code ADD}), which creates the item on first use: concurrent requests never lose a count and need no retry.
 */
@ApplicationScoped
public class RateCounterStore {

    private static final String COUNT = Attribute.COUNT.attributeName();
    /** Longest subject kept as it is in a key (an IPv6 address has at most 45 characters). */
    private static final int MAX_SUBJECT_LENGTH = 64;

    private final ItemTable table;

    RateCounterStore(ItemTable table) {
        this.table = table;
    }

    /** One budget's counter in one window; {@code subject} is what is counted (an IP, an address's hash). */
    public record Window(String scope, String subject, Instant start, Instant end) {

        public Window {
            if (scope.isEmpty() || scope.contains("#")) {
                throw new IllegalArgumentException("a scope is a plain word");
            }
            if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH || subject.contains("#")) {
                throw new IllegalArgumentException("a subject is at most " + MAX_SUBJECT_LENGTH
                        + " characters without '#'");
            }
        }

        String key() {
            return ItemKind.RATE.key(scope + "#" + subject + "#" + start.getEpochSecond());
        }
    }

    /** Adds one to the window's counter and returns the new count (1 for the first charge of the window). */
    public long charge(Window window) {
        var written = table.updateReturningUpdated(window.key(), "ADD #count :one SET #ttl = :end",
                Map.of("#count", COUNT, "#ttl", ItemTable.TTL),
                Map.of(":one", n(1), ":end", n(window.end().getEpochSecond())));
        return ItemTable.longOf(written, Attribute.COUNT);
    }

    /** The window's count so far (0 before its first charge). */
    public long count(Window window) {
        return table.get(window.key()).map(item -> ItemTable.longOf(item, Attribute.COUNT)).orElse(0L);
    }
}

package com.example.shop.auth.stream;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.Attribute;
import com.example.shop.auth.store.ItemKind;

/**
 * One audit line per record of the users table's stream (NEW_AND_OLD_IMAGES), from a Lambda DynamoDB event:
 * the kind of item (from the userId prefix), its keys, which attributes changed, and old/new values of the
 * non-secret attributes only. Values are shown only for attributes on an allow-list, so a hash or token never
 * appears, nor does an attribute the store's layout does not mark as shown: passwordHash, resetToken, token and
 * refresh-token hashes are named as changed, never shown. Emails (a user's, and the new address of a pending email
 * change) are masked as in the auth audit trail, and the key of a one-time token item (reset, verification, email
 * change: the token's SHA-256) is never shown.
 */
public final class StreamChanges {

    private StreamChanges() {
    }

    public static List<Map<String, Object>> describe(Map<String, Object> event) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Object record : list(event.get("Records"))) {
            lines.add(describeRecord(map(record)));
        }
        return lines;
    }

    static Map<String, Object> describeRecord(Map<String, Object> record) {
        Map<String, Object> ddb = map(record.get("dynamodb"));
        Map<String, Object> oldImage = map(ddb.get("OldImage"));
        Map<String, Object> newImage = map(ddb.get("NewImage"));
        String userId = stringOf(map(ddb.get("Keys")).get(Attribute.USER_ID.attributeName()));
        if (userId == null) {
            throw new IllegalArgumentException("stream record " + record.get("eventID") + " has no userId key");
        }
        ItemKind kind = ItemKind.of(userId);

        Set<String> changed = new TreeSet<>();
        Set<String> names = new TreeSet<>(oldImage.keySet());
        names.addAll(newImage.keySet());
        for (String name : names) {
            if (!name.equals(Attribute.USER_ID.attributeName()) && !Objects.equals(plain(oldImage.get(name)), plain(newImage.get(name)))) {
                changed.add(name);
            }
        }

        Map<String, Object> line = new LinkedHashMap<>();
        line.put("audit", "table_change");
        line.put("event", record.get("eventName"));
        line.put("eventId", record.get("eventID"));
        line.put("kind", kind.label());
        line.put("key", shownKey(kind, userId));
        String ownerId = Attribute.OWNER_ID.attributeName();
        Object owner = plain(newImage.containsKey(ownerId) ? newImage.get(ownerId) : oldImage.get(ownerId));
        if (owner != null) {
            line.put(ownerId, owner);
        }
        line.put("changed", List.copyOf(changed));
        Map<String, Object> oldValues = new LinkedHashMap<>();
        Map<String, Object> newValues = new LinkedHashMap<>();
        for (String name : changed) {
            if (Attribute.named(name).filter(Attribute::shownInAudit).isPresent()) {
                putShown(oldValues, name, oldImage.get(name));
                putShown(newValues, name, newImage.get(name));
            }
        }
        line.put("old", oldValues);
        line.put("new", newValues);
        Object time = ddb.get("ApproximateCreationDateTime");
        if (time != null) {
            line.put("approximateCreationTime", time);
        }
        return line;
    }

    private static void putShown(Map<String, Object> into, String name, Object attribute) {
        Object value = plain(attribute);
        if (value == null) {
            return;
        }
        boolean email = Attribute.named(name).filter(Attribute::holdsEmail).isPresent();
        into.put(name, email && value instanceof String s ? AuthEvents.mask(s) : value);
    }

    /** The item's key as an audit line may show it: emails masked, never a token's hash. */
    private static String shownKey(ItemKind kind, String key) {
        if (kind.keyHoldsTokenHash()) {
            return kind.prefix() + "<token hash>";
        }
        if (kind == ItemKind.EMAIL_CLAIM) {
            return kind.prefix() + AuthEvents.mask(kind.idOf(key));
        }
        // a budget counter's subject may be the SHA-256 of an address: a dictionary undoes that, so it is not shown
        return SHA256_HEX.matcher(key).replaceAll("<hash>");
    }

    private static final Pattern SHA256_HEX = Pattern.compile("\\b[0-9a-f]{64}\\b");

    /** A DynamoDB JSON attribute value ({"S": ...}, {"N": ...}, ...) as a plain value. */
    static Object plain(Object attribute) {
        if (!(attribute instanceof Map<?, ?> value) || value.isEmpty()) {
            return null;
        }
        Map.Entry<?, ?> only = value.entrySet().iterator().next();
        Object v = only.getValue();
        return switch (String.valueOf(only.getKey())) {
            case "S", "B", "BOOL" -> v;
            case "N" -> new BigDecimal(String.valueOf(v));
            case "NULL" -> null;
            case "SS", "NS", "BS" -> v;
            case "L" -> list(v).stream().map(StreamChanges::plain).toList();
            case "M" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map(v).forEach((k, x) -> out.put(k, plain(x)));
                yield out;
            }
            default -> v;
        };
    }

    private static String stringOf(Object attribute) {
        Object value = plain(attribute);
        return value instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}

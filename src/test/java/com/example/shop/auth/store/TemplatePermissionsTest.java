package com.example.shop.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The template's least-privilege conditions say what the store's layout says: each role may update exactly the
 * user attributes {@link FunctionRole} lists, and put or delete items only under the key prefixes it lists. (Jackson
 * reads CloudFormation's short tags such as {@code !If} as plain values, which is all this needs.)
 */
class TemplatePermissionsTest {

    private static final JsonNode RESOURCES = readResources();

    @ParameterizedTest
    @EnumSource(FunctionRole.class)
    void updatableAttributesAreTheModels(FunctionRole role) {
        List<JsonNode> conditioned = statements(role).stream()
                .filter(s -> s.at("/Condition/ForAllValues:StringEquals/dynamodb:Attributes").isArray())
                .toList();
        assertEquals(1, conditioned.size(), role.templateResource() + ": one UpdateItem statement lists attributes");
        assertEquals(Set.of("dynamodb:UpdateItem"), actions(conditioned.get(0)), role.templateResource());
        assertEquals(names(role.updatableUserAttributes()),
                strings(conditioned.get(0).at("/Condition/ForAllValues:StringEquals/dynamodb:Attributes")),
                role.templateResource() + ": dynamodb:Attributes");
    }

    @ParameterizedTest
    @EnumSource(FunctionRole.class)
    void leadingKeysAreTheModelsPrefixes(FunctionRole role) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode statement : statements(role)) {
            granted.addAll(strings(statement.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys")));
        }
        Set<String> expected = role.prefixedKindsWritten().stream().map(kind -> kind.prefix() + "*")
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, granted, role.templateResource() + ": dynamodb:LeadingKeys");
        expected.forEach(prefix -> assertFalse(prefix.equals("*"), "a users' key has no prefix to grant"));
    }

    private static List<JsonNode> statements(FunctionRole role) {
        JsonNode resource = RESOURCES.get(role.templateResource());
        if (resource == null) {
            throw new AssertionError("template.yaml has no resource " + role.templateResource());
        }
        List<JsonNode> found = new ArrayList<>();
        collectStatements(resource, found);
        return found;
    }

    /** Every IAM statement below the node, including those inside Fn::If branches. */
    private static void collectStatements(JsonNode node, List<JsonNode> into) {
        if (node.isObject() && node.has("Effect") && node.has("Action")) {
            into.add(node);
            return;
        }
        node.elements().forEachRemaining(child -> collectStatements(child, into));
    }

    private static Set<String> actions(JsonNode statement) {
        return strings(statement.get("Action"));
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new TreeSet<>();
        if (node == null || node.isMissingNode()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static Set<String> names(Set<Attribute> attributes) {
        return attributes.stream().map(Attribute::attributeName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode readResources() {
        try {
            return new YAMLMapper().readTree(Path.of("template.yaml").toFile()).get("Resources");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

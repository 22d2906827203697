package io.chakrai.api.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chakrai.models.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Crisis lines per locale, shown at once to someone whose message held crisis language or whose
 * risk is critical: {@code crisis-resources.json} on the class path, or the file {@code
 * CHAKRAI_CRISIS_RESOURCES} names. The best match for the client's {@code Accept-Language} wins
 * ("en-GB", then "en"), else "default"; a locale's missing fields come from "default".
 */
public final class CrisisResources {
    private final JsonNode all;

    public CrisisResources(JsonNode all) {
        if (!all.has("default")) {
            throw new IllegalArgumentException("crisis resources need a 'default' entry");
        }
        this.all = all;
    }

    public static CrisisResources load(String file) {
        try {
            if (file != null && !file.isBlank()) {
                return new CrisisResources(Json.MAPPER.readTree(Files.readString(Path.of(file))));
            }
            try (InputStream in =
                    CrisisResources.class.getResourceAsStream("/crisis-resources.json")) {
                return new CrisisResources(Json.MAPPER.readTree(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read crisis resources " + (file == null ? "" : file), e);
        }
    }

    /** The resources for an {@code Accept-Language} value (or a single tag). */
    public ObjectNode forLanguages(String acceptLanguage) {
        String key = "default";
        for (String tag : tags(acceptLanguage)) {
            if (all.has(tag)) {
                key = tag;
                break;
            }
            String lang = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
            if (all.has(lang)) {
                key = lang;
                break;
            }
        }
        ObjectNode out = ((ObjectNode) all.get("default")).deepCopy();
        all.get(key).fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        out.put("locale", key);
        return out;
    }

    private static List<String> tags(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String part : header.split(",")) {
            String tag = part.split(";")[0].trim();
            if (!tag.isEmpty() && tag.length() <= 35) {
                String[] p = tag.split("-");
                out.add(
                        p.length > 1
                                ? p[0].toLowerCase(Locale.ROOT)
                                        + "-"
                                        + p[1].toUpperCase(Locale.ROOT)
                                : tag.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}

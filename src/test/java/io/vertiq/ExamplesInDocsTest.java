package io.vertiq;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs' Java examples are compiled ones: every java block of the README and of the guides in
 * docs/ is the lines between a "// tag::NAME[]" and its "// end::NAME[]" in src/examples (which the
 * build compiles), indentation aside, and every tagged example is shown somewhere.
 */
class ExamplesInDocsTest {
  private static final Pattern TAG =
      Pattern.compile("// tag::([\\w-]+)\\[\\]\\n(.*?)// end::\\1\\[\\]", Pattern.DOTALL);

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void everyJavaBlockOfTheDocsIsACompiledExample() throws IOException {
    Map<String, List<String>> tagged = new LinkedHashMap<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/examples"))) {
      for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = TAG.matcher(Files.readString(p));
        while (m.find()) tagged.put(m.group(1) + " in " + p.getFileName(), lines(m.group(2)));
      }
    }
    assertTrue(tagged.size() >= 5, "the examples: " + tagged.keySet());
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> guides = Files.list(Path.of("docs"))) {
      guides.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<List<String>> shown = new ArrayList<>();
    for (Path doc : docs) {
      String text = Files.readString(doc);
      for (int at = text.indexOf("```java\n"); at >= 0; at = text.indexOf("```java\n", at + 1)) {
        List<String> block = lines(text.substring(at + 8, text.indexOf("```", at + 8)));
        assertTrue(
            tagged.containsValue(block),
            doc
                + " shows a java block that no example in src/examples compiles:\n"
                + String.join("\n", block));
        shown.add(block);
      }
    }
    tagged.forEach(
        (name, block) -> assertTrue(shown.contains(block), name + " is shown in no doc"));
  }
}

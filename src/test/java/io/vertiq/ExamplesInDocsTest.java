package io.vertiq;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Java example is the compiled one: the lines between "// tag::java[]" and "//
 * end::java[]" in src/examples (which the build compiles) are the README's java block, indentation
 * aside.
 */
class ExamplesInDocsTest {
  @Test
  void theReadmeShowsTheCompiledExample() throws Exception {
    String source =
        Files.readString(Path.of("src/examples/java/io/vertiq/examples/JavaApiExample.java"));
    String tagged =
        source.substring(source.indexOf("// tag::java[]\n") + 15, source.indexOf("// end::java[]"));
    List<String> expected = tagged.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```java\n");
    assertTrue(start >= 0, "the README has a java block");
    String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
    List<String> shown = block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertEquals(expected, shown, "README's java block and JavaApiExample's tagged lines");
  }
}

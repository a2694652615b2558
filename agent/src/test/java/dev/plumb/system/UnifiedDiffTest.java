package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Lines "line1".."lineN", each ending in a newline. */
    private static List<String> numberedLines(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "line" + i).collect(Collectors.toCollection(ArrayList::new));
    }

    private static byte[] text(List<String> lines) {
        return bytes(lines.stream().map(line -> line + "\n").collect(Collectors.joining()));
    }

    @Test
    void aOneLineChangeIsShownAsDiffDashUPrintsIt() {
        String diff = UnifiedDiff.of("/etc/app.conf", bytes("a\nb\nc\n"), bytes("a\nX\nc\n"));

        assertThat(diff).isEqualTo("""
                --- /etc/app.conf
                +++ /etc/app.conf
                @@ -1,3 +1,3 @@
                 a
                -b
                +X
                 c
                """);
    }

    @Test
    void onlyThreeLinesOfContextSurroundAChange() {
        List<String> before = numberedLines(10);
        List<String> after = new ArrayList<>(before);
        after.remove(4); // line5 goes

        String diff = UnifiedDiff.of("/f", text(before), text(after));

        assertThat(diff).isEqualTo("""
                --- /f
                +++ /f
                @@ -2,7 +2,6 @@
                 line2
                 line3
                 line4
                -line5
                 line6
                 line7
                 line8
                """);
    }

    @Test
    void aNewFileIsDiffedAgainstDevNull() {
        String diff = UnifiedDiff.of("/etc/motd", null, bytes("hello\nworld\n"));

        assertThat(diff).isEqualTo("""
                --- /dev/null
                +++ /etc/motd
                @@ -0,0 +1,2 @@
                +hello
                +world
                """);
    }

    @Test
    void aSingleAddedLineHasACountlessRange() {
        String diff = UnifiedDiff.of("/f", null, bytes("only\n"));

        assertThat(diff).isEqualTo("--- /dev/null\n+++ /f\n@@ -0,0 +1 @@\n+only\n");
    }

    @Test
    void removingEveryLineLeavesAnEmptyNewRange() {
        String diff = UnifiedDiff.of("/f", bytes("a\nb\n"), new byte[0]);

        assertThat(diff).isEqualTo("--- /f\n+++ /f\n@@ -1,2 +0,0 @@\n-a\n-b\n");
    }

    @Test
    void aMissingFinalNewlineIsMarkedAsDiffDoes() {
        String diff = UnifiedDiff.of("/f", bytes("a\n"), bytes("a\nb"));

        assertThat(diff).isEqualTo("--- /f\n+++ /f\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n");
    }

    @Test
    void binaryContentIsSummarisedInOneLine() {
        String diff = UnifiedDiff.of("/bin/tool", bytes("abc"), new byte[] {0x7f, 'E', 'L', 0});

        assertThat(diff).isEqualTo("binary content changed (3 bytes to 4 bytes)");
    }

    @Test
    void invalidUtf8IsTreatedAsBinary() {
        String diff = UnifiedDiff.of("/f", null, new byte[] {(byte) 0xff, (byte) 0xfe});

        assertThat(diff).isEqualTo("binary content changed (0 bytes to 2 bytes)");
    }

    @Test
    void contentTooLargeToDiffIsSummarised() {
        byte[] large = new byte[600 * 1024];
        Arrays.fill(large, (byte) 'a');

        String diff = UnifiedDiff.of("/f", bytes("a\n"), large);

        assertThat(diff).isEqualTo("content changed (2 bytes to " + large.length + " bytes; too large to show)");
    }

    @Test
    void twoDistantChangesGiveTwoHunks() {
        List<String> before = numberedLines(20);
        List<String> after = new ArrayList<>(before);
        after.remove(17); // line18
        after.remove(1);  // line2

        String diff = UnifiedDiff.of("/f", text(before), text(after));

        assertThat(diff).isEqualTo("""
                --- /f
                +++ /f
                @@ -1,5 +1,4 @@
                 line1
                -line2
                 line3
                 line4
                 line5
                @@ -15,6 +14,5 @@
                 line15
                 line16
                 line17
                -line18
                 line19
                 line20
                """);
    }

    @Test
    void changesFiveLinesApartShareOneHunk() {
        List<String> before = numberedLines(11);
        List<String> after = new ArrayList<>(before);
        after.remove(7); // line8
        after.remove(1); // line2; lines 3..7 (five) lie between

        String diff = UnifiedDiff.of("/f", text(before), text(after));

        assertThat(diff).startsWith("--- /f\n+++ /f\n@@ -1,11 +1,9 @@\n line1\n-line2\n");
        assertThat(diff.lines().filter(line -> line.startsWith("@@"))).hasSize(1);
    }

    @Test
    void changesSixLinesApartShareOneHunk() {
        List<String> before = numberedLines(12);
        List<String> after = new ArrayList<>(before);
        after.remove(8); // line9
        after.remove(1); // line2; lines 3..8 (six) lie between

        String diff = UnifiedDiff.of("/f", text(before), text(after));

        assertThat(diff).startsWith("--- /f\n+++ /f\n@@ -1,12 +1,10 @@\n line1\n-line2\n");
        assertThat(diff.lines().filter(line -> line.startsWith("@@"))).hasSize(1);
    }

    @Test
    void changesSevenLinesApartGetTheirOwnHunks() {
        List<String> before = numberedLines(13);
        List<String> after = new ArrayList<>(before);
        after.remove(9); // line10
        after.remove(1); // line2; lines 3..9 (seven) lie between

        String diff = UnifiedDiff.of("/f", text(before), text(after));

        assertThat(diff).contains("@@ -1,5 +1,4 @@\n").contains("@@ -7,7 +6,6 @@\n");
    }

    @Test
    void identicalContentHasNoHunks() {
        String diff = UnifiedDiff.of("/f", bytes("same\n"), bytes("same\n"));

        assertThat(diff).isEqualTo("--- /f\n+++ /f\n");
    }
}

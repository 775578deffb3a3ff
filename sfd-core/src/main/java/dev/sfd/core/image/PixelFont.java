package dev.sfd.core.image;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny built-in 5×7 bitmap font (upper-case letters, digits, common punctuation) for labelling
 * image grids. It needs no system fonts, so labels render identically in minimal container images
 * where {@code java.awt} font loading fails. Kept on purpose (issue 23 asked whether a library could
 * replace it): checked on this project's base machine with /usr/share/fonts hidden (an empty tmpfs
 * over it, as in a slim JRE image), headless Java2D's {@code drawString} throws "No physical fonts
 * found"; the grids must still render there, so they do not depend on system fonts. (The metric
 * plots, drawn by XChart, do need a font; they are a development-machine artefact.) Lower-case
 * letters are drawn as upper case; any other character is drawn as '?'.
 */
public final class PixelFont {

    /** Glyph width and height in font pixels, and horizontal advance (glyph plus one blank column). */
    public static final int GLYPH_WIDTH = 5;
    public static final int GLYPH_HEIGHT = 7;
    public static final int ADVANCE = GLYPH_WIDTH + 1;

    private static final Map<Character, String> GLYPHS = new HashMap<>();

    static {
        glyph('A', ".###. #...# #...# ##### #...# #...# #...#");
        glyph('B', "####. #...# #...# ####. #...# #...# ####.");
        glyph('C', ".###. #...# #.... #.... #.... #...# .###.");
        glyph('D', "####. #...# #...# #...# #...# #...# ####.");
        glyph('E', "##### #.... #.... ####. #.... #.... #####");
        glyph('F', "##### #.... #.... ####. #.... #.... #....");
        glyph('G', ".###. #...# #.... #.### #...# #...# .####");
        glyph('H', "#...# #...# #...# ##### #...# #...# #...#");
        glyph('I', ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.");
        glyph('J', "..### ...#. ...#. ...#. ...#. #..#. .##..");
        glyph('K', "#...# #..#. #.#.. ##... #.#.. #..#. #...#");
        glyph('L', "#.... #.... #.... #.... #.... #.... #####");
        glyph('M', "#...# ##.## #.#.# #.#.# #...# #...# #...#");
        glyph('N', "#...# #...# ##..# #.#.# #..## #...# #...#");
        glyph('O', ".###. #...# #...# #...# #...# #...# .###.");
        glyph('P', "####. #...# #...# ####. #.... #.... #....");
        glyph('Q', ".###. #...# #...# #...# #.#.# #..#. .##.#");
        glyph('R', "####. #...# #...# ####. #.#.. #..#. #...#");
        glyph('S', ".#### #.... #.... .###. ....# ....# ####.");
        glyph('T', "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..");
        glyph('U', "#...# #...# #...# #...# #...# #...# .###.");
        glyph('V', "#...# #...# #...# #...# #...# .#.#. ..#..");
        glyph('W', "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.");
        glyph('X', "#...# #...# .#.#. ..#.. .#.#. #...# #...#");
        glyph('Y', "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..");
        glyph('Z', "##### ....# ...#. ..#.. .#... #.... #####");
        glyph('0', ".###. #...# #..## #.#.# ##..# #...# .###.");
        glyph('1', "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.");
        glyph('2', ".###. #...# ....# ...#. ..#.. .#... #####");
        glyph('3', "##### ...#. ..#.. ...#. ....# #...# .###.");
        glyph('4', "...#. ..##. .#.#. #..#. ##### ...#. ...#.");
        glyph('5', "##### #.... ####. ....# ....# #...# .###.");
        glyph('6', "..##. .#... #.... ####. #...# #...# .###.");
        glyph('7', "##### ....# ...#. ..#.. .#... .#... .#...");
        glyph('8', ".###. #...# #...# .###. #...# #...# .###.");
        glyph('9', ".###. #...# #...# .#### ....# ...#. .##..");
        glyph(' ', "..... ..... ..... ..... ..... ..... .....");
        glyph('.', "..... ..... ..... ..... ..... .##.. .##..");
        glyph(',', "..... ..... ..... ..... .##.. ..#.. .#...");
        glyph('-', "..... ..... ..... ##### ..... ..... .....");
        glyph(':', "..... .##.. .##.. ..... .##.. .##.. .....");
        glyph('=', "..... ..... ##### ..... ##### ..... .....");
        glyph('/', "....# ....# ...#. ..#.. .#... #.... #....");
        glyph('(', "...#. ..#.. .#... .#... .#... ..#.. ...#.");
        glyph(')', ".#... ..#.. ...#. ...#. ...#. ..#.. .#...");
        glyph('%', "##..# ##..# ...#. ..#.. .#... #..## #..##");
        glyph('+', "..... ..#.. ..#.. ##### ..#.. ..#.. .....");
        glyph('_', "..... ..... ..... ..... ..... ..... #####");
        glyph('?', ".###. #...# ....# ...#. ..#.. ..... ..#..");
        glyph('!', "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..");
        glyph('\'', "..#.. ..#.. .#... ..... ..... ..... .....");
    }

    private PixelFont() {
    }

    private static void glyph(char c, String rows) {
        String bits = rows.replace(" ", "");
        if (bits.length() != GLYPH_WIDTH * GLYPH_HEIGHT) {
            throw new IllegalStateException("glyph '" + c + "' has " + bits.length() + " cells");
        }
        GLYPHS.put(c, bits);
    }

    /** Width in image pixels of {@code text} drawn at {@code scale} (no trailing blank column). */
    public static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /** Height in image pixels of one line drawn at {@code scale}. */
    public static int height(int scale) {
        return GLYPH_HEIGHT * scale;
    }

    /** Draws {@code text} with its top-left corner at (x, y); pixels outside the image are skipped. */
    public static void draw(BufferedImage image, String text, int x, int y, int scale, int rgb) {
        for (int k = 0; k < text.length(); k++) {
            String bits = GLYPHS.getOrDefault(Character.toUpperCase(text.charAt(k)), GLYPHS.get('?'));
            int left = x + k * ADVANCE * scale;
            for (int row = 0; row < GLYPH_HEIGHT; row++) {
                for (int col = 0; col < GLYPH_WIDTH; col++) {
                    if (bits.charAt(row * GLYPH_WIDTH + col) == '#') {
                        fill(image, left + col * scale, y + row * scale, scale, rgb);
                    }
                }
            }
        }
    }

    private static void fill(BufferedImage image, int x0, int y0, int size, int rgb) {
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y0 + size); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x0 + size); x++) {
                image.setRGB(x, y, rgb);
            }
        }
    }
}

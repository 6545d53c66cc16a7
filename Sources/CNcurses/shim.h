#ifndef GANTRY_CNCURSES_SHIM_H
#define GANTRY_CNCURSES_SHIM_H
// Wide-character ncurses; must be defined before the header is included.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

// Swift cannot see macros with arguments or some globals; wrap them.
static inline WINDOW *gantry_stdscr(void) { return stdscr; }
static inline int gantry_cols(void) { return COLS; }
static inline int gantry_lines(void) { return LINES; }
static inline attr_t gantry_a_bold(void) { return A_BOLD; }
static inline attr_t gantry_a_reverse(void) { return A_REVERSE; }
static inline attr_t gantry_a_dim(void) { return A_DIM; }
static inline attr_t gantry_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gantry_color_pair(short n) { return COLOR_PAIR(n); }
static inline int gantry_key_resize(void) { return KEY_RESIZE; }
static inline int gantry_err(void) { return ERR; }
#endif

#ifndef GANTRY_CNCURSES_SHIM_H
#define GANTRY_CNCURSES_SHIM_H
// Wide-character ncurses; must be defined before the header is included.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/curses.h>

// Swift cannot see macros with arguments or some globals; wrap them.
static inline WINDOW *gantry_stdscr(void) { return stdscr; }
static inline int gantry_cols(void) { return COLS; }
static inline int gantry_lines(void) { return LINES; }
static inline attr_t gantry_a_normal(void) { return A_NORMAL; }
static inline attr_t gantry_a_bold(void) { return A_BOLD; }
static inline attr_t gantry_a_reverse(void) { return A_REVERSE; }
static inline attr_t gantry_a_dim(void) { return A_DIM; }
static inline attr_t gantry_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gantry_color_pair(short n) { return COLOR_PAIR(n); }
static inline int gantry_key_resize(void) { return KEY_RESIZE; }
static inline int gantry_err(void) { return ERR; }
static inline int gantry_key_code_yes(void) { return KEY_CODE_YES; }

// Key codes (octal macros) the console maps to its own keys.
static inline int gantry_key_up(void) { return KEY_UP; }
static inline int gantry_key_down(void) { return KEY_DOWN; }
static inline int gantry_key_left(void) { return KEY_LEFT; }
static inline int gantry_key_right(void) { return KEY_RIGHT; }
static inline int gantry_key_ppage(void) { return KEY_PPAGE; }
static inline int gantry_key_npage(void) { return KEY_NPAGE; }
static inline int gantry_key_home(void) { return KEY_HOME; }
static inline int gantry_key_end(void) { return KEY_END; }
static inline int gantry_key_enter(void) { return KEY_ENTER; }
static inline int gantry_key_btab(void) { return KEY_BTAB; }
static inline int gantry_key_backspace(void) { return KEY_BACKSPACE; }

// sigaction's handler field is a union member behind a macro.
static inline int gantry_install_handler(int sig, void (*handler)(int), int flags, struct sigaction *previous) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    action.sa_handler = handler;
    return sigaction(sig, &action, previous);
}
#endif

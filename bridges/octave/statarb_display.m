## statarb_display (x, name): Octave's display of x (builtin display, named as Octave names it). While a
## %%octave cell asks for tables (statarb_table_state), a real matrix of at least 2 x 2 is remembered
## and its display is enclosed in markers ("\036SAD:<n>\036" ... "\036SAE:<n>\036") on stdout: the
## session holds that text back and, when it was the cell's last output, shows the table instead.
function statarb_display (x, name)
  n = statarb_table_state ("capture", x, name);
  if (n > 0)
    fflush (stdout);
    fputs (stdout, sprintf ("\036SAD:%d\036", n));
    builtin ("display", x, name);
    fflush (stdout);
    fputs (stdout, sprintf ("\036SAE:%d\036", n));
    fflush (stdout);
  else
    builtin ("display", x, name);
  endif
endfunction

## statarb_no_stdin (fname): the error of every keyboard/stdin read in a bridge cell. The bridge's
## Octave has /dev/null for stdin (its requests come on a FIFO), so such a read would see end of file
## or spin; these shadows of input, keyboard, fgetl(stdin), ... say why instead.
function statarb_no_stdin (fname)
  error ("statarb:stdin", "%s: interactive input is not supported in a bridge cell (Octave's stdin is empty); pass values as variables instead: %%%%octave -i x, %%put x --to octave, or OctaveSession.put()", fname);
endfunction

## kbhit: reads the keyboard, which a bridge cell does not have (see statarb_no_stdin).
function varargout = kbhit (varargin)
  statarb_no_stdin ("kbhit");
endfunction

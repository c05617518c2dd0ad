## keyboard: reads the keyboard, which a bridge cell does not have (see statarb_no_stdin).
function varargout = keyboard (varargin)
  statarb_no_stdin ("keyboard");
endfunction

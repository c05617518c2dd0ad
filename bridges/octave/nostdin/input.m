## input: reads the keyboard, which a bridge cell does not have (see statarb_no_stdin).
function varargout = input (varargin)
  statarb_no_stdin ("input");
endfunction

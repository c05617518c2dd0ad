## scanf: reads the keyboard, which a bridge cell does not have (see statarb_no_stdin).
function varargout = scanf (varargin)
  statarb_no_stdin ("scanf");
endfunction

## pause: pause() and pause(Inf) wait for a key, which a bridge cell does not have; pause(n) sleeps.
function varargout = pause (varargin)
  if (isempty (varargin) || (isnumeric (varargin{1}) && isscalar (varargin{1}) && isinf (varargin{1})))
    statarb_no_stdin ("pause");
  endif
  if (nargout == 0)
    builtin ("pause", varargin{:});
  else
    varargout = cell (1, nargout);
    [varargout{:}] = builtin ("pause", varargin{:});
  endif
endfunction

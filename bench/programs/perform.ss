;; perform: 200000 effect requests ((op . "bump") (args i)), each answered by a handler found
;; in a dispatch table by its op name; prints the sum of the answers.
(define handlers (make-hashtable string-hash string=?))
(hashtable-set! handlers "bump" (lambda (x) (+ x 1)))

(define (perform request)
  (apply (hashtable-ref handlers (cdr (assq 'op request)) #f)
         (cdr (assq 'args request))))

(display (let loop ((i 0) (total 0))
           (if (= i 200000)
               total
               (loop (+ i 1)
                     (+ total (perform (list (cons 'op "bump") (cons 'args (list i)))))))))
(newline)

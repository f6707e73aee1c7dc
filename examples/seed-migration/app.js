// The sample from bms-mca-oauth-sdk's README ("Getting the Authorization Header from a service using a
// secret"), unchanged but for the require line. The last line is the one every Cloud Foundry app has
// and the README's snippet left out: listening on the port the platform gives.
var express = require('express');
var oauthSDK = require('@mca-oauth/core'); // was: require('bms-mca-oauth-sdk')

var app = express();

app.get('/hello',
	function(req, res) {
		var options = {cacheSize:100};
		oauthSDK.getAuthorizationHeaderBySecret(options).then(function(authHeader) {
			res.send(200, authHeader);
		}, function(err) {
			console.log(err);
		});
});

app.listen(process.env.PORT);

import { r, type Catalogue } from './line.ts';

/**
 * Spanish copy: formal is "usted", informal "tú". Greetings and welcomes avoid gendered forms
 * ("Le damos la bienvenida" rather than "Bienvenido/a"); phrases from the brief stand after a colon.
 */
export const ES: Catalogue = {
  'subject.announcement': ['Novedad en {brand}: {topic}', r('Descubra {topic}', 'Descubre {topic}'), r('Le presentamos {topic}', 'Te presentamos {topic}')],
  'subject.newsletter': ['Novedades de {brand}: {topic}', r('Su resumen de {brand}: {topic}', 'Tu resumen de {brand}: {topic}'), 'Lo último de {brand}'],
  'subject.promo': [r('Solo para usted: {offer}', 'Solo para ti: {offer}'), 'Oferta {brand}: {offer}', 'Hasta el {deadline}: {offer}'],
  'subject.welcome': [r('Le damos la bienvenida a {brand}', 'Te damos la bienvenida a {brand}'), r('Nos alegra tenerle aquí', 'Nos alegra tenerte aquí'), r('Sus primeros pasos con {brand}', 'Tus primeros pasos con {brand}')],
  'subject.product-update': ['Novedad: {topic}', 'Nuevo en {brand}: {topic}', 'Recién salido: {topic}'],
  'subject.event': ['Invitación: {topic}', r('Acompáñenos: {topic}', 'Acompáñanos: {topic}'), r('Reserve la fecha: {topic}', 'Reserva la fecha: {topic}')],
  'subject.re-engagement': [r('Le echamos de menos', 'Te echamos de menos'), 'Muchas novedades en {brand}', r('Lo que se ha perdido en {brand}', 'Lo que te has perdido en {brand}')],
  'subject.any': [
    'Noticias de {brand}',
    '{brand}: {topic}',
    'En breve: {topic}',
    'Algo nuevo de {brand}',
    r('Para usted: {topic}', 'Para ti: {topic}'),
    r('¿Ya lo ha visto? {topic}', '¿Ya lo has visto? {topic}'),
    'De cerca: {topic}',
    r('Pensado para usted: {topic}', 'Pensado para ti: {topic}'),
  ],

  'preheader.announcement': [
    r('Todo lo que necesita saber sobre {topic} y cómo empezar hoy mismo.', 'Todo lo que necesitas saber sobre {topic} y cómo empezar hoy mismo.'),
    r('El equipo de {brand} ha preparado algo que creemos que le va a encantar.', 'El equipo de {brand} ha preparado algo que creemos que te va a encantar.'),
  ],
  'preheader.newsletter': ['Historias, consejos y novedades de {brand}, en una lectura breve.', 'En esta edición: {topic} y mucho más, en un solo correo.'],
  'preheader.promo': [
    r('{brand} tiene una oferta para usted: {offer}. Descúbrala antes de que termine.', '{brand} tiene una oferta para ti: {offer}. Descúbrela antes de que termine.'),
    r('Dese un capricho: {offer}, mientras dure la oferta.', 'Date un capricho: {offer}, mientras dure la oferta.'),
    'Válido hasta el {deadline}: {offer}. Así es como funciona.',
  ],
  'preheader.welcome': [
    r('Gracias por unirse a {brand}. Así puede sacarle el máximo partido.', 'Gracias por unirte a {brand}. Así puedes sacarle el máximo partido.'),
    r('Sus primeros pasos con {brand} y algunos consejos de nuestro equipo.', 'Tus primeros pasos con {brand} y algunos consejos de nuestro equipo.'),
  ],
  'preheader.product-update': [
    r('Un repaso rápido de {topic} y de lo que cambia para usted.', 'Un repaso rápido de {topic} y de lo que cambia para ti.'),
    'Pequeños cambios, gran diferencia: estas son las novedades de {brand}.',
  ],
  'preheader.event': [
    r('Todos los detalles sobre {topic} y cómo reservar su plaza.', 'Todos los detalles sobre {topic} y cómo reservar tu plaza.'),
    r('Fecha: {when}. Aquí tiene todos los detalles y la inscripción.', 'Fecha: {when}. Aquí tienes todos los detalles y la inscripción.'),
  ],
  'preheader.re-engagement': [
    r('¡Cuánto tiempo! Estas son las novedades de {brand} desde su última visita.', '¡Cuánto tiempo! Estas son las novedades de {brand} desde tu última visita.'),
    r('Hemos mejorado {brand}. Vuelva a echar un vistazo cuando quiera.', 'Hemos mejorado {brand}. Vuelve a echar un vistazo cuando quieras.'),
  ],
  'preheader.any': [
    r('Un breve mensaje del equipo de {brand} con todo lo que necesita saber.', 'Un breve mensaje del equipo de {brand} con todo lo que necesitas saber.'),
    r('Aquí tiene todos los detalles. Responda si tiene alguna pregunta.', 'Aquí tienes todos los detalles. Responde si tienes alguna pregunta.'),
    'Todo sobre {topic} en un correo breve de {brand}.',
  ],

  'heading.announcement': ['Novedad en {brand}: {topic}', r('Le presentamos {topic}', 'Te presentamos {topic}')],
  'heading.newsletter': ['Noticias de {brand}: {topic}', 'Lo nuevo en {brand}'],
  'heading.promo': [r('Solo para usted: {offer}', 'Solo para ti: {offer}'), r('Aproveche: {offer}', 'Aprovecha: {offer}')],
  'heading.promo.urgent': ['Solo hasta el {deadline}: {offer}', r('Que no se le escape: {offer}', 'Que no se te escape: {offer}')],
  'heading.welcome': [r('Le damos la bienvenida a {brand}', 'Te damos la bienvenida a {brand}'), r('Nos alegra tenerle aquí', 'Nos alegra tenerte aquí')],
  'heading.product-update': ['Novedad: {topic}', 'Recién salido: {topic}'],
  'heading.event': ['Invitación: {topic}', r('Acompáñenos: {topic}', 'Acompáñanos: {topic}')],
  'heading.re-engagement': [r('Le echamos de menos', 'Te echamos de menos'), 'Muchas novedades en {brand}'],

  greeting: ['Hola {{ contact.first_name | default: "a todos" }},'],
  'greeting.playful': ['¡Hola, {{ contact.first_name | default: "a todos" }}!'],

  'intro.announcement': [
    r(
      'Nos alegra presentarle algo nuevo: {topic}. Lo hemos creado con un objetivo: hacerle la vida un poco más fácil. Estamos deseando saber qué le parece.',
      'Nos alegra presentarte algo nuevo: {topic}. Lo hemos creado con un objetivo: hacerte la vida un poco más fácil. Estamos deseando saber qué te parece.',
    ),
    r(
      'Ha llegado el día: aquí está {topic}. Le contamos en pocas líneas qué es, por qué lo hemos creado y cómo puede probarlo ahora mismo.',
      'Ha llegado el día: aquí está {topic}. Te contamos en pocas líneas qué es, por qué lo hemos creado y cómo puedes probarlo ahora mismo.',
    ),
  ],
  'intro.newsletter': [
    r(
      'Aquí tiene su nuevo resumen de {brand}. Esta vez hablamos de esto: {topic}. Y de algunas cosas más que creemos que le gustarán.',
      'Aquí tienes tu nuevo resumen de {brand}. Esta vez hablamos de esto: {topic}. Y de algunas cosas más que creemos que te gustarán.',
    ),
    r(
      'Le damos la bienvenida a una nueva edición de nuestro boletín. Hemos reunido noticias, ideas e historias para usted, empezando por esto: {topic}.',
      'Te damos la bienvenida a una nueva edición de nuestro boletín. Hemos reunido noticias, ideas e historias para ti, empezando por esto: {topic}.',
    ),
  ],
  'intro.promo': [
    r(
      'Tenemos algo especial para usted: {offer}. Es el momento perfecto para descubrir {topic} y nuestra forma de darle las gracias por formar parte de {brand}.',
      'Tenemos algo especial para ti: {offer}. Es el momento perfecto para descubrir {topic} y nuestra forma de darte las gracias por formar parte de {brand}.',
    ),
    r(
      'Buenas noticias: ya está aquí nuestra oferta: {offer}. Tómese su tiempo para descubrir {topic} mientras dure la oferta.',
      'Buenas noticias: ya está aquí nuestra oferta: {offer}. Tómate tu tiempo para descubrir {topic} mientras dure la oferta.',
    ),
  ],
  'intro.promo.urgent': [
    r(
      'Un aviso rápido: nuestra oferta ({offer}) solo está disponible hasta el {deadline}. Si ya tenía algo en mente, ahora es el momento.',
      'Un aviso rápido: nuestra oferta ({offer}) solo está disponible hasta el {deadline}. Si ya tenías algo en mente, ahora es el momento.',
    ),
  ],
  'intro.welcome': [
    r(
      'Gracias por unirse a {brand}. Nos alegra mucho tenerle aquí y queremos ayudarle a empezar con buen pie.',
      'Gracias por unirte a {brand}. Nos alegra mucho tenerte aquí y queremos ayudarte a empezar con buen pie.',
    ),
    r(
      '¡Le damos la bienvenida! Ahora forma parte de la comunidad de {brand}, y este correo le ayudará a orientarse.',
      '¡Te damos la bienvenida! Ahora formas parte de la comunidad de {brand}, y este correo te ayudará a orientarte.',
    ),
  ],
  'intro.product-update': [
    r(
      'Hemos trabajado mucho para mejorar {brand}. Esta es la novedad: {topic}. Descubra qué cambia en su día a día.',
      'Hemos trabajado mucho para mejorar {brand}. Esta es la novedad: {topic}. Descubre qué cambia en tu día a día.',
    ),
    r(
      'Novedad para usted: {topic}. Aquí tiene un breve resumen de lo que ha cambiado y de cómo probarlo.',
      'Novedad para ti: {topic}. Aquí tienes un breve resumen de lo que ha cambiado y de cómo probarlo.',
    ),
  ],
  'intro.event': [
    r(
      'Nos encantaría contar con usted: {topic}. Una ocasión para conocer al equipo de {brand}, aprender algo nuevo y compartir con personas con sus mismos intereses.',
      'Nos encantaría contar contigo: {topic}. Una ocasión para conocer al equipo de {brand}, aprender algo nuevo y compartir con personas con tus mismos intereses.',
    ),
    r(
      'Queremos invitarle: {topic}. Apunte la fecha, traiga sus preguntas y prepárese para pasar un rato inspirador con el equipo de {brand}.',
      'Queremos invitarte: {topic}. Apunta la fecha, trae tus preguntas y prepárate para pasar un rato inspirador con el equipo de {brand}.',
    ),
  ],
  'intro.re-engagement': [
    r(
      'Ha pasado un tiempo desde su última visita, y en {brand} han cambiado muchas cosas. Nos gustaría enseñarle la novedad: {topic}.',
      'Ha pasado un tiempo desde tu última visita, y en {brand} han cambiado muchas cosas. Nos gustaría enseñarte la novedad: {topic}.',
    ),
    r(
      'Hace tiempo que no pasa por {brand}. No hemos parado, y creemos que esto le va a gustar: {topic}.',
      'Hace tiempo que no pasas por {brand}. No hemos parado, y creemos que esto te va a gustar: {topic}.',
    ),
  ],

  audience: ['Lo hemos preparado especialmente para este público: {audience}.', 'Pensado especialmente para: {audience}.'],

  'story.announcement': [
    r(
      'Cada detalle nace de lo que usted nos ha contado. Tómese unos minutos para descubrirlo y cuéntenos su opinión: leemos todas las respuestas.',
      'Cada detalle nace de lo que tú nos has contado. Tómate unos minutos para descubrirlo y cuéntanos tu opinión: leemos todas las respuestas.',
    ),
  ],
  'story.newsletter': [
    r(
      'Detrás de cada edición hay un pequeño equipo al que le encanta lo que hace. Si quiere que hablemos de algún tema la próxima vez, responda a este correo.',
      'Detrás de cada edición hay un pequeño equipo al que le encanta lo que hace. Si quieres que hablemos de algún tema la próxima vez, responde a este correo.',
    ),
  ],
  'story.promo': [
    r(
      '¿No sabe por dónde empezar? Nuestros productos favoritos son un buen punto de partida, y nuestro equipo le ayudará con gusto a elegir.',
      '¿No sabes por dónde empezar? Nuestros productos favoritos son un buen punto de partida, y nuestro equipo te ayudará con gusto a elegir.',
    ),
  ],
  'story.welcome': [
    r(
      'En las próximas semanas le enviaremos algunos correos breves con consejos, ideas y alguna que otra sorpresa. Puede elegir en cualquier momento qué recibe.',
      'En las próximas semanas te enviaremos algunos correos breves con consejos, ideas y alguna que otra sorpresa. Puedes elegir en cualquier momento qué recibes.',
    ),
  ],
  'story.product-update': [
    r(
      'Estos cambios se están activando para todos. Inicie sesión para verlos y díganos qué le parecen: sus comentarios deciden lo que construimos después.',
      'Estos cambios se están activando para todos. Inicia sesión para verlos y dinos qué te parecen: tus comentarios deciden lo que construimos después.',
    ),
  ],
  'story.event': [
    r(
      'Tanto si conoce {brand} desde hace tiempo como si acaba de descubrirnos, se sentirá como en casa. Nos encantaría verle allí.',
      'Tanto si conoces {brand} desde hace tiempo como si acabas de descubrirnos, te sentirás como en casa. Nos encantaría verte allí.',
    ),
  ],
  'story.re-engagement': [r('Nos encantaría volver a verle en {brand}. Aquí tiene un vistazo rápido a lo que le espera.', 'Nos encantaría volver a verte en {brand}. Aquí tienes un vistazo rápido a lo que te espera.')],

  'features.heading.announcement': [r('Por qué le va a encantar', 'Por qué te va a encantar')],
  'features.heading.newsletter': ['Merece la pena'],
  'features.heading.promo': [r('Lo que le espera', 'Lo que te espera')],
  'features.heading.welcome': [r('Lo que le espera', 'Lo que te espera')],
  'features.heading.product-update': ['Novedades'],
  'features.heading.event': [r('Qué le espera', 'Qué te espera')],
  'features.heading.re-engagement': [r('Novedades desde su última visita', 'Novedades desde tu última visita')],
  'features.item.announcement': [
    r('Pensado en torno a lo que más le importa', 'Pensado en torno a lo que más te importa'),
    'Fácil de usar desde el primer día',
    r('Con el equipo de {brand} a su lado cuando lo necesite', 'Con el equipo de {brand} a tu lado cuando lo necesites'),
  ],
  'features.item.newsletter': ['Las historias que más han gustado a nuestros lectores', 'Consejos prácticos para aplicar desde ya', 'Noticias del equipo de {brand}'],
  'features.item.promo': ['Un buen momento para probar algo nuevo', 'Fácil de canjear en pocos clics', r('La ayuda amable del equipo de {brand} si la necesita', 'La ayuda amable del equipo de {brand} si la necesitas')],
  'features.item.welcome': ['Consejos e ideas para sacar el máximo partido a {brand}', 'Un primer vistazo a lo que estamos preparando', 'Ofertas ocasionales solo para nuestra comunidad'],
  'features.item.product-update': [
    'Una experiencia diaria más fluida y rápida',
    r('Pequeños detalles pulidos gracias a sus comentarios', 'Pequeños detalles pulidos gracias a tus comentarios'),
    r('Todo lo que ya usa, justo donde lo espera', 'Todo lo que ya usas, justo donde lo esperas'),
  ],
  'features.item.event': ['Charlas inspiradoras y momentos para participar', 'Tiempo para conocer al equipo de {brand} y a otros invitados', r('Todo el tiempo que haga falta para sus preguntas', 'Todo el tiempo que haga falta para tus preguntas')],
  'features.item.re-engagement': ['Ideas nuevas y mejoras en todo {brand}', r('Una forma más sencilla de encontrar lo que busca', 'Una forma más sencilla de encontrar lo que buscas'), r('El mismo equipo amable, listo para ayudarle', 'El mismo equipo amable, listo para ayudarte')],

  'offer.heading': [r('Cómo usar su oferta', 'Cómo usar tu oferta')],
  'offer.code': [r('Introduzca el código **{code}** al pagar.', 'Introduce el código **{code}** al pagar.')],
  'offer.deadline': ['La oferta es válida hasta el {deadline}.'],
  'offer.body': [r('Siga el enlace de abajo para ver todo lo que incluye la oferta.', 'Sigue el enlace de abajo para ver todo lo que incluye la oferta.')],

  'details.heading': ['Todos los detalles'],
  'details.what': ['**Qué:** {topic}'],
  'details.when': ['**Cuándo:** {when}'],
  'details.where': ['**Dónde:** {where}'],

  'steps.heading': ['Cómo empezar'],
  'steps.item': [
    r('Eche un vistazo a {brand} y descubra lo que mejor le encaja.', 'Echa un vistazo a {brand} y descubre lo que mejor te encaja.'),
    r('Ajuste sus preferencias cuando quiera con el enlace al final de este correo.', 'Ajusta tus preferencias cuando quieras con el enlace al final de este correo.'),
    r('Responda a este correo si tiene alguna pregunta: estaremos encantados de ayudarle.', 'Responde a este correo si tienes alguna pregunta: estaremos encantados de ayudarte.'),
  ],

  'highlights.heading': ['En esta edición'],
  'highlights.item': ['De cerca: {topic}', 'Noticias e ideas del equipo de {brand}', 'Un consejo para poner en práctica esta semana'],

  'testimonial.quote': [
    'No esperaba que me gustara tanto. {brand} ya forma parte de mi día a día.',
    'Sencillo, cuidado y realmente útil. Recomiendo {brand} a todo el mundo.',
    'El equipo de {brand} escucha de verdad. Se nota en cada detalle.',
  ],
  'testimonial.author': ['Un miembro de la comunidad de {brand}'],

  'faq.heading': ['Preguntas frecuentes'],
  'faq.code': [
    r(
      '**¿Cómo uso mi descuento?**\nIntroduzca el código **{code}** al pagar y el descuento se aplicará a su pedido.',
      '**¿Cómo uso mi descuento?**\nIntroduce el código **{code}** al pagar y el descuento se aplicará a tu pedido.',
    ),
  ],
  'faq.deadline': ['**¿Hasta cuándo es válida la oferta?**\nLa oferta es válida hasta el {deadline}.'],
  'faq.audience': ['**¿Para quién es?**\nLo hemos pensado para este público: {audience}. Pero todo el mundo es bienvenido.'],
  'faq.start': [r('**¿Cómo empiezo?**\nSiga el botón de este correo. Solo lleva un momento.', '**¿Cómo empiezo?**\nSigue el botón de este correo. Solo lleva un momento.')],
  'faq.when': [r('**¿Cuándo es?**\nApunte la fecha: {when}.', '**¿Cuándo es?**\nApunta la fecha: {when}.')],
  'faq.where': ['**¿Dónde es?**\nLugar: {where}.'],
  'faq.questions': [
    r(
      '**¿Y si tengo más preguntas?**\nResponda a este correo. Una persona del equipo de {brand} le contestará.',
      '**¿Y si tengo más preguntas?**\nResponde a este correo. Una persona del equipo de {brand} te contestará.',
    ),
  ],
  'faq.change': ['**¿Puedo elegir qué correos recibo?**\nSí, en cualquier momento, con el enlace a las preferencias al final de este correo.'],

  'closing.announcement': [r('¿Quiere verlo con sus propios ojos? Solo hace falta un clic.', '¿Quieres verlo con tus propios ojos? Solo hace falta un clic.')],
  'closing.newsletter': ['Esto es todo por esta edición. Gracias por leernos y hasta la próxima.'],
  'closing.promo': [r('No espere demasiado: la oferta no durará para siempre.', 'No esperes demasiado: la oferta no durará para siempre.')],
  'closing.welcome': [r('Nos alegra mucho tenerle aquí. Cuando quiera, su primer paso está a un solo clic.', 'Nos alegra mucho tenerte aquí. Cuando quieras, tu primer paso está a un solo clic.')],
  'closing.product-update': [r('Pruébelo hoy mismo y cuéntenos qué le parece.', 'Pruébalo hoy mismo y cuéntanos qué te parece.')],
  'closing.event': [r('Tenemos muchas ganas de verle. Reserve su plaza hoy mismo.', 'Tenemos muchas ganas de verte. Reserva tu plaza hoy mismo.')],
  'closing.re-engagement': [r('Vuelva a echar un vistazo: creemos que le gustará lo que va a encontrar.', 'Vuelve a echar un vistazo: creemos que te gustará lo que vas a encontrar.')],
  'closing.urgent': [r('Queda poco tiempo, así que no lo deje pasar.', 'Queda poco tiempo, así que no lo dejes pasar.')],
  'closing.playful': [r('Venga, eche un vistazo. Le prometemos que merece la pena.', 'Venga, echa un vistazo. Te prometemos que merece la pena.')],
  'closing.calm': [r('Tómese su tiempo y échele un vistazo cuando le venga bien.', 'Tómate tu tiempo y échale un vistazo cuando te venga bien.')],

  signoff: [r('Atentamente,\nEl equipo de {brand}', '¡Hasta pronto!\nEl equipo de {brand}')],
  'signoff.playful': ['¡Nos vemos pronto!\nEl equipo de {brand}'],
  'signoff.calm': ['Un cordial saludo,\nEl equipo de {brand}'],

  footer: [r('Recibe este correo porque se suscribió a las novedades de {brand}.', 'Recibes este correo porque te suscribiste a las novedades de {brand}.')],

  'cta.shop': ['Ir a la tienda'],
  'cta.offer': ['Ver la oferta'],
  'cta.book': ['Reservar una visita'],
  'cta.demo': ['Reservar una demo'],
  'cta.register': ['Reservar mi plaza'],
  'cta.read': ['Leer el artículo completo'],
  'cta.try': ['Probarlo ahora'],
  'cta.download': ['Descargar la app'],
  'cta.start': ['Empezar'],
  'cta.explore': ['Descubrir'],
  'cta.upgrade': ['Ver los planes'],
  'cta.update': ['Ver las novedades'],
  'cta.join': ['Quiero ir'],
  'cta.billing': ['Actualizar mis datos de pago'],
  'cta.feedback': ['Dar mi opinión'],

  'topic.announcement': ['algo nuevo'],
  'topic.newsletter': ['lo que hemos estado preparando'],
  'topic.promo': ['nuestros favoritos'],
  'topic.welcome': ['{brand}'],
  'topic.product-update': ['nuestras últimas mejoras'],
  'topic.event': ['nuestro próximo evento'],
  'topic.re-engagement': ['las novedades de {brand}'],

  'where.online': ['En línea'],
  header: ['**{brand}**'],

  // ---- series (S6.1) ----
  'series.back': ['Como prometimos en nuestro último correo: {current}.', r('La última vez se lo anunciamos, y aquí está: {current}.', 'La última vez te lo anunciamos, y aquí está: {current}.')],
  'series.next': ['En nuestro próximo correo: {next}.', r('Revise su bandeja de entrada pronto. Lo próximo: {next}.', 'Revisa tu bandeja de entrada pronto. Lo próximo: {next}.')],
  'series.last': [
    r(
      'Este es el último correo de esta serie. Gracias por leernos, y recuerde que puede responder a cualquiera de nuestros correos.',
      'Este es el último correo de esta serie. Gracias por leernos, y recuerda que puedes responder a cualquiera de nuestros correos.',
    ),
  ],
  'series.preheader': ['En este correo: {current}.', 'Hoy en {brand}: {current}.'],

  'series.reply': [r('¿Alguna pregunta? Responda a este correo: una persona real del equipo de {brand} lee cada mensaje.', '¿Alguna pregunta? Responde a este correo: una persona real del equipo de {brand} lee cada mensaje.')],
  'series.more.payment': [r('Si ya ha actualizado sus datos, puede ignorar este correo. No tiene que cambiar nada más.', 'Si ya has actualizado tus datos, puedes ignorar este correo. No tienes que cambiar nada más.')],
  'series.more.retry': [
    r(
      'Solo lleva un minuto: siga el botón de abajo, revise los datos de su tarjeta y guárdelos. Si ya lo ha hecho, gracias, y por favor ignore este recordatorio.',
      'Solo lleva un minuto: sigue el botón de abajo, revisa los datos de tu tarjeta y guárdalos. Si ya lo has hecho, gracias, y por favor ignora este recordatorio.',
    ),
  ],
  'series.more.final': [
    r(
      'Sentiríamos mucho que se fuera. Si algo de su suscripción no le convence, díganoslo: haremos todo lo posible por ayudarle.',
      'Sentiríamos mucho que te fueras. Si algo de tu suscripción no te convence, dínoslo: haremos todo lo posible por ayudarte.',
    ),
  ],

  'series.about.hello': ['una cálida bienvenida a {brand}'],
  'series.about.story': ['la historia detrás de {brand}'],
  'series.about.tips': ['algunos consejos para sacar más partido a {brand}'],
  'series.about.setup': [r('sus primeros pasos con {brand}', 'tus primeros pasos con {brand}')],
  'series.about.feature': [r('todo lo que {brand} puede hacer por usted', 'todo lo que {brand} puede hacer por ti')],
  'series.about.proof': ['lo que nuestros clientes dicen de {brand}'],
  'series.about.checkin': [r('una pregunta rápida para saber cómo le va', 'una pregunta rápida para saber cómo te va')],
  'series.about.offer': [r('un pequeño detalle solo para usted', 'un pequeño detalle solo para ti')],
  'series.about.reminder': ['un último recordatorio antes de que termine'],
  'series.about.teaser': ['un adelanto de lo que viene'],
  'series.about.reveal': ['todo sobre {topic}'],
  'series.about.missyou': ['unas palabras del equipo de {brand}'],
  'series.about.news': ['las novedades de {brand}'],
  'series.about.goodbye': [r('una pregunta sobre los correos que recibe de nosotros', 'una pregunta sobre los correos que recibes de nosotros')],
  'series.about.thanks': [r('un agradecimiento por su pedido', 'un agradecimiento por tu pedido')],
  'series.about.picks': [r('algunas ideas para acompañar su pedido', 'algunas ideas para acompañar tu pedido')],
  'series.about.invite': [r('su invitación personal', 'tu invitación personal')],
  'series.about.agenda': ['el programa en detalle'],
  'series.about.countdown': ['un recordatorio antes del gran día'],
  'series.about.followup': ['un repaso de lo que vivimos juntos'],
  'series.about.payment': [r('información sobre su pago', 'información sobre tu pago')],
  'series.about.retry': [r('un recordatorio sobre su pago', 'un recordatorio sobre tu pago')],
  'series.about.final': [r('un último recordatorio sobre su pago', 'un último recordatorio sobre tu pago')],

  'series.subject.hello': [r('Le damos la bienvenida a {brand}', 'Te damos la bienvenida a {brand}'), r('Nos alegra tenerle aquí', 'Nos alegra tenerte aquí')],
  'series.subject.story': ['La historia detrás de {brand}', 'Así empezó {brand}'],
  'series.subject.tips': ['Consejos del equipo de {brand}', r('Saque más partido a {brand}', 'Saca más partido a {brand}')],
  'series.subject.setup': [r('Sus primeros pasos con {brand}', 'Tus primeros pasos con {brand}'), 'Todo listo en pocos minutos'],
  'series.subject.feature': ['De cerca: {topic}', r('Lo que {brand} puede hacer por usted', 'Lo que {brand} puede hacer por ti')],
  'series.subject.proof': ['Lo que dicen nuestros clientes', 'Por qué gusta tanto {brand}'],
  'series.subject.checkin': [r('¿Qué tal le va?', '¿Qué tal te va?'), 'Una pregunta rápida de {brand}'],
  'series.subject.offer': [r('Solo para usted: {offer}', 'Solo para ti: {offer}'), r('Un pequeño detalle para usted', 'Un pequeño detalle para ti')],
  'series.subject.reminder': ['Última oportunidad: {offer}', r('No se lo pierda: {topic}', 'No te lo pierdas: {topic}')],
  'series.subject.teaser': ['Algo nuevo está por llegar', 'Muy pronto en {brand}'],
  'series.subject.reveal': ['Presentamos {topic}', 'Ya está aquí: {topic}'],
  'series.subject.missyou': [r('Le echamos de menos', 'Te echamos de menos'), 'Ha pasado un tiempo'],
  'series.subject.news': ['Novedades en {brand}', 'Mucho ha cambiado en {brand}'],
  'series.subject.goodbye': ['¿Seguimos en contacto?', r('¿Quiere seguir recibiendo noticias?', '¿Quieres seguir recibiendo noticias?')],
  'series.subject.thanks': [r('Gracias por su pedido', 'Gracias por tu pedido'), 'Gracias por elegir {brand}'],
  'series.subject.picks': [r('Seleccionado para usted por {brand}', 'Seleccionado para ti por {brand}'), r('Ideas para acompañar su pedido', 'Ideas para acompañar tu pedido')],
  'series.subject.invite': ['Invitación: {topic}', r('Acompáñenos: {topic}', 'Acompáñanos: {topic}')],
  'series.subject.agenda': ['El programa: {topic}', r('Lo que le espera: {topic}', 'Lo que te espera: {topic}')],
  'series.subject.countdown': ['Ya casi es el día: {topic}', 'Recordatorio: {topic}'],
  'series.subject.followup': ['Gracias por acompañarnos: {topic}', 'Un repaso: {topic}'],
  'series.subject.payment': [r('Su pago no se ha podido procesar', 'Tu pago no se ha podido procesar'), r('Revise sus datos de pago', 'Revisa tus datos de pago')],
  'series.subject.retry': [r('Recordatorio sobre su pago', 'Recordatorio sobre tu pago'), r('Su pago sigue pendiente', 'Tu pago sigue pendiente')],
  'series.subject.final': [r('Último recordatorio sobre su pago', 'Último recordatorio sobre tu pago'), r('Su pago sigue esperando', 'Tu pago sigue esperando')],

  'series.intro.hello': [
    r(
      'Gracias por unirse a {brand}. En los próximos correos le ayudaremos a sacarle el máximo partido, un correo breve cada vez.',
      'Gracias por unirte a {brand}. En los próximos correos te ayudaremos a sacarle el máximo partido, un correo breve cada vez.',
    ),
  ],
  'series.intro.story': [
    'Toda marca empieza con una idea. La nuestra era sencilla: hacer algo que nos encanta, hacerlo bien y compartirlo con personas a las que les importa tanto como a nosotros. Esa idea sigue guiando todo lo que hacemos en {brand}.',
  ],
  'series.intro.tips': ['Estos son algunos consejos que nuestro equipo aplica a diario. Ninguno lleva más de unos minutos y, juntos, marcan una gran diferencia.'],
  'series.intro.setup': [
    r(
      'Empezar con {brand} solo lleva unos minutos. Así puede dar sus primeros pasos, y aquí encontrará ayuda si la necesita.',
      'Empezar con {brand} solo lleva unos minutos. Así puedes dar tus primeros pasos, y aquí encontrarás ayuda si la necesitas.',
    ),
  ],
  'series.intro.feature': [
    r(
      'Hoy queremos mostrarle de cerca todo lo que {brand} puede hacer por usted: qué hay detrás, por qué lo creamos y cómo puede hacerle el día un poco más fácil.',
      'Hoy queremos mostrarte de cerca todo lo que {brand} puede hacer por ti: qué hay detrás, por qué lo creamos y cómo puede hacerte el día un poco más fácil.',
    ),
  ],
  'series.intro.proof': [r('No tiene por qué creernos a nosotros. Esto es lo que opinan quienes ya usan {brand}.', 'No tienes por qué creernos a nosotros. Esto es lo que opinan quienes ya usan {brand}.')],
  'series.intro.checkin': [
    r(
      'Ya lleva un tiempo con {brand} y nos encantaría saber cómo le va. ¿Qué es lo que más le gusta y qué podríamos mejorar?',
      'Ya llevas un tiempo con {brand} y nos encantaría saber cómo te va. ¿Qué es lo que más te gusta y qué podríamos mejorar?',
    ),
  ],
  'series.intro.offer': [
    r('Para agradecerle que forme parte de {brand}, tenemos algo especial para usted: {offer}.', 'Para agradecerte que formes parte de {brand}, tenemos algo especial para ti: {offer}.'),
    r('Hemos elegido algunos favoritos que creemos que le encantarán. Eche un vistazo y dese un capricho.', 'Hemos elegido algunos favoritos que creemos que te encantarán. Echa un vistazo y date un capricho.'),
  ],
  'series.intro.reminder': [
    r('Un recordatorio rápido: {offer} estará disponible solo por poco tiempo más. Si tenía algo en mente, este es el momento.', 'Un recordatorio rápido: {offer} estará disponible solo por poco tiempo más. Si tenías algo en mente, este es el momento.'),
    r('Un recordatorio rápido antes de que termine: si quería echar un vistazo, este es el momento.', 'Un recordatorio rápido antes de que termine: si querías echar un vistazo, este es el momento.'),
  ],
  'series.intro.teaser': [
    r(
      'En {brand} estamos preparando algo nuevo y tenemos muchas ganas de enseñárselo. Aún no podemos contarlo todo, pero aquí tiene una primera pista.',
      'En {brand} estamos preparando algo nuevo y tenemos muchas ganas de enseñártelo. Aún no podemos contarlo todo, pero aquí tienes una primera pista.',
    ),
  ],
  'series.intro.reveal': [r('Por fin ha llegado: {topic}. Lo hemos pensado para usted y esperamos que le encante.', 'Por fin ha llegado: {topic}. Lo hemos pensado para ti y esperamos que te encante.')],
  'series.intro.missyou': [
    r(
      'Hace tiempo que no le vemos por {brand} y le hemos echado de menos. Han pasado muchas cosas desde su última visita y nos encantaría enseñárselas.',
      'Hace tiempo que no te vemos por {brand} y te hemos echado de menos. Han pasado muchas cosas desde tu última visita y nos encantaría enseñártelas.',
    ),
  ],
  'series.intro.news': [
    r(
      'Hemos estado muy ocupados desde su última visita. Estas son las novedades de {brand} que creemos que más le gustarán.',
      'Hemos estado muy ocupados desde tu última visita. Estas son las novedades de {brand} que creemos que más te gustarán.',
    ),
  ],
  'series.intro.goodbye': [
    r(
      'No queremos llenar su bandeja de entrada con correos que no lee. Si quiere seguir recibiendo noticias de {brand}, no tiene que hacer nada. Si prefiere recibir menos correos, o ninguno, puede cambiarlo en un momento.',
      'No queremos llenar tu bandeja de entrada con correos que no lees. Si quieres seguir recibiendo noticias de {brand}, no tienes que hacer nada. Si prefieres recibir menos correos, o ninguno, puedes cambiarlo en un momento.',
    ),
  ],
  'series.intro.thanks': [
    r(
      '¡Gracias por su pedido! Lo estamos preparando y queremos contarle qué pasa ahora y dónde encontrar ayuda si la necesita.',
      '¡Gracias por tu pedido! Lo estamos preparando y queremos contarte qué pasa ahora y dónde encontrar ayuda si la necesitas.',
    ),
  ],
  'series.intro.picks': [
    r(
      'Hemos elegido algunas cosas que combinan bien con su último pedido. Sin presiones: solo ideas que podrían gustarle.',
      'Hemos elegido algunas cosas que combinan bien con tu último pedido. Sin presiones: solo ideas que podrían gustarte.',
    ),
  ],
  'series.intro.invite': [
    r(
      'Nos encantaría contar con usted: {topic}. Es una oportunidad para aprender algo nuevo, conocer al equipo de {brand} y a personas con sus mismos intereses.',
      'Nos encantaría contar contigo: {topic}. Es una oportunidad para aprender algo nuevo, conocer al equipo de {brand} y a personas con tus mismos intereses.',
    ),
  ],
  'series.intro.agenda': [
    r('Este es el programa, para que sepa qué esperar y pueda aprovechar al máximo su tiempo con nosotros.', 'Este es el programa, para que sepas qué esperar y puedas aprovechar al máximo tu tiempo con nosotros.'),
  ],
  'series.intro.countdown': [
    r('Ya casi es el gran día. Aquí tiene de nuevo todos los detalles, para que lo tenga todo a mano.', 'Ya casi es el gran día. Aquí tienes de nuevo todos los detalles, para que lo tengas todo a mano.'),
  ],
  'series.intro.followup': [
    r(
      '¡Gracias por acompañarnos! Esperamos que lo haya disfrutado tanto como nosotros, y nos encantaría saber qué le pareció.',
      '¡Gracias por acompañarnos! Esperamos que lo hayas disfrutado tanto como nosotros, y nos encantaría saber qué te pareció.',
    ),
  ],
  'series.intro.payment': [
    r(
      'Hemos intentado procesar su último pago a {brand}, pero no se ha podido completar. A veces ocurre, a menudo porque una tarjeta ha caducado. Actualizar sus datos solo lleva un minuto.',
      'Hemos intentado procesar tu último pago a {brand}, pero no se ha podido completar. A veces ocurre, a menudo porque una tarjeta ha caducado. Actualizar tus datos solo lleva un minuto.',
    ),
  ],
  'series.intro.retry': [
    r(
      'Su pago a {brand} sigue pendiente. Para que todo siga funcionando sin interrupciones, actualice sus datos de pago.',
      'Tu pago a {brand} sigue pendiente. Para que todo siga funcionando sin interrupciones, actualiza tus datos de pago.',
    ),
  ],
  'series.intro.final': [
    r(
      'Este es nuestro último recordatorio sobre su pago pendiente a {brand}. Actualice sus datos de pago pronto para evitar cualquier interrupción.',
      'Este es nuestro último recordatorio sobre tu pago pendiente a {brand}. Actualiza tus datos de pago pronto para evitar cualquier interrupción.',
    ),
  ],
};
